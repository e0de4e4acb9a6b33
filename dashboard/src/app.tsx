import { JobStatusClient } from 'job-status-client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { describeError } from './format';
import { JobPage } from './job-page';
import { ListPage } from './list-page';
import { formatRoute, parseRoute, type Route } from './route';
import { currentToken, identify, keepToken, type Identity } from './session';
import { SignIn } from './sign-in';
import { Alert } from './widgets';

const API_BASE = `${location.origin}/jss`;

type Checked = Identity | { kind: 'checking' } | { kind: 'failed'; message: string };

export function App() {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  const [token, setToken] = useState(currentToken);
  const [identity, setIdentity] = useState<Checked>({ kind: 'checking' });
  const [signingIn, setSigningIn] = useState(false);
  const [signInError, setSignInError] = useState<string>();

  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  useEffect(() => {
    let stopped = false;
    setIdentity({ kind: 'checking' });
    identify(API_BASE, token).then(
      (found) => {
        if (stopped) return;
        if (found.kind === 'refused' && token !== undefined) {
          setSignInError('The server refused this token.');
          keepToken(undefined);
          setToken(undefined);
          return;
        }
        if (found.kind !== 'refused') setSigningIn(false);
        setIdentity(found);
      },
      (failure: unknown) =>
        !stopped && setIdentity({ kind: 'failed', message: describeError(failure) }),
    );
    return () => {
      stopped = true;
    };
  }, [token]);

  const principal = identity.kind === 'signed-in' ? identity.principal : undefined;
  const client = useMemo(
    () =>
      new JobStatusClient({
        baseURL: API_BASE,
        ...(principal ? { user: principal.user } : {}),
        ...(token ? { token } : {}),
      }),
    [principal?.user, token],
  );

  const signIn = (next: string) => {
    setSignInError(undefined);
    keepToken(next);
    setToken(next);
  };
  const signOut = () => {
    keepToken(undefined);
    setToken(undefined);
    setSigningIn(identity.kind !== 'no-auth');
  };

  const go = (next: Route, replace = false) => {
    const hash = formatRoute(next);
    if (replace) {
      history.replaceState(null, '', hash);
      setRoute(next);
    } else location.hash = hash;
  };

  const mustSignIn = identity.kind === 'refused' || signingIn;
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('page-title')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">
          Job Status
        </a>
        <div class="who">
          {principal ? (
            <span>
              {principal.user}
              {principal.role && <span class="role"> · {principal.role}</span>}
            </span>
          ) : token ? (
            <span>Signed in with a token</span>
          ) : identity.kind === 'no-auth' ? (
            <span class="muted">No sign-in needed</span>
          ) : null}
          {token ? (
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          ) : (
            identity.kind === 'no-auth' &&
            !signingIn && (
              <button type="button" onClick={() => setSigningIn(true)}>
                Sign in
              </button>
            )
          )}
        </div>
      </header>
      <main id="main">
        {identity.kind === 'checking' ? (
          <p>Connecting to the server…</p>
        ) : identity.kind === 'failed' ? (
          <Alert>Could not reach the server: {identity.message}</Alert>
        ) : mustSignIn ? (
          <SignIn
            apiBase={API_BASE}
            error={signInError}
            noAuth={identity.kind === 'no-auth'}
            onToken={signIn}
            onCancel={identity.kind === 'no-auth' ? () => setSigningIn(false) : undefined}
          />
        ) : (
          <>
            {identity.kind === 'no-auth' && (
              <p class="notice">
                This server checks no tokens and has no roles: every action is offered, and the
                server decides.
              </p>
            )}
            {route.view === 'job' ? (
              <JobPage client={client} jobId={route.jobId} principal={principal} />
            ) : (
              <ListPage
                client={client}
                list={route.list}
                onChange={(list, replace) => go({ view: 'list', list }, replace)}
              />
            )}
          </>
        )}
      </main>
    </>
  );
}
