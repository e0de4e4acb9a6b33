// The dashboard's entry: served by the reference server at `/`, bundled by it on first use
// (server/src/ui/dashboard-bundle.ts).
import { render } from 'preact';
import { App } from './app';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
