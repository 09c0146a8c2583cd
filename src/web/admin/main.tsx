/**
 * The admin module the /admin page loads (through /admin.js): the app, in
 * the language the person chose or the browser prefers.
 */
import { render } from 'preact';
import { chosenLanguage } from '../shared/language-choice.js';
import { StaffAuth } from '../shared/staff-auth.js';
import { App } from './app.js';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App auth={new StaffAuth()} initialLang={chosenLanguage()} />, root);
}
