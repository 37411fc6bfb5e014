import { render } from 'preact';
import { App } from './app.js';
import { interceptLinks } from './router.js';
import { syncServerClock } from './server-clock.js';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  document.addEventListener('click', interceptLinks);
  // Windows are computed in server time, so wait for it (one small request) before the first fetch.
  void syncServerClock().finally(() => {
    root.textContent = '';
    render(<App />, root);
  });
}
