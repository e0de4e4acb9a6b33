// The status rules are the SDK model's (docs/protocol.md, "Statuses and the state machine").
export {
  isInProgressStatus as isInProgress,
  isTerminalStatus as isTerminal,
  STATUS_PATTERN,
  TERMINAL_STATUSES,
} from '#protocol';
