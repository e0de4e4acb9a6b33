// The kit answers the model's refusals (ModelError) as they are, so these need no mapping.
export * from '#protocol/report-bodies';
