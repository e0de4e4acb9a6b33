import { useState } from 'preact/hooks';
import { describeError } from './format';
import { logIn } from './session';
import { Alert, PageTitle } from './widgets';

export function SignIn({
  apiBase,
  error,
  noAuth,
  onToken,
  onCancel,
}: {
  apiBase: string;
  error: string | undefined;
  noAuth: boolean;
  onToken: (token: string) => void;
  onCancel: (() => void) | undefined;
}) {
  const [token, setToken] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [loginError, setLoginError] = useState<string>();
  const [busy, setBusy] = useState(false);

  return (
    <>
      <PageTitle>Sign in</PageTitle>
      {noAuth && <p class="notice">This server checks no tokens; signing in is optional.</p>}
      {error && <Alert>{error}</Alert>}
      <div class="sign-in">
        <form
          aria-labelledby="token-title"
          onSubmit={(event) => {
            event.preventDefault();
            if (token.trim()) onToken(token.trim());
          }}
        >
          <h2 id="token-title">With a token</h2>
          <label>
            <span>Token</span>
            <input
              type="password"
              name="token"
              required
              autoComplete="off"
              value={token}
              onInput={(event) => setToken(event.currentTarget.value)}
            />
          </label>
          <p class="muted">Kept in this tab only, until you sign out or close it.</p>
          <button type="submit">Sign in</button>
        </form>
        <form
          aria-labelledby="login-title"
          onSubmit={async (event) => {
            event.preventDefault();
            setBusy(true);
            setLoginError(undefined);
            try {
              onToken(await logIn(apiBase, user, password));
            } catch (failure) {
              setLoginError(describeError(failure));
            } finally {
              setBusy(false);
              setPassword('');
            }
          }}
        >
          <h2 id="login-title">With a user name and password</h2>
          <label>
            <span>User</span>
            <input
              name="user"
              required
              autoComplete="username"
              value={user}
              onInput={(event) => setUser(event.currentTarget.value)}
            />
          </label>
          <label>
            <span>Password</span>
            <input
              type="password"
              name="password"
              required
              autoComplete="current-password"
              value={password}
              onInput={(event) => setPassword(event.currentTarget.value)}
            />
          </label>
          {loginError && <Alert>{loginError}</Alert>}
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
      {onCancel && (
        <p>
          <button type="button" onClick={onCancel}>
            Continue without signing in
          </button>
        </p>
      )}
    </>
  );
}
