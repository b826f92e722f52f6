import { loadSession, signIn, signOut, whenSignedOut } from './api.js';
import { dashboard } from './dashboard.js';
import { agents } from './agents.js';
import { schedules } from './schedules.js';
import { deadJobs } from './dead-jobs.js';
import { outbound } from './outbound.js';

// Each page: a title and a render(body, showError) that may return a function to call when the page is left.
const pages = {
  dashboard: { title: 'Dashboard', render: dashboard },
  agents: { title: 'Agents and rules', render: agents },
  schedules: { title: 'Schedules', render: schedules },
  'dead-jobs': { title: 'Dead jobs', render: deadJobs },
  outbound: { title: 'Outbound ledger', render: outbound },
};

const $ = id => document.getElementById(id);
let leave = null;

function showSignIn(message = '') {
  if (leave) { leave(); leave = null; }
  $('loading').hidden = true;
  $('view').hidden = true;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('admin-key').focus();
}

function showError(message) { $('view-error').textContent = message; }

async function route() {
  if (leave) { leave(); leave = null; }
  const name = location.hash.slice(1) in pages ? location.hash.slice(1) : 'dashboard';
  const page = pages[name];
  for (const link of document.querySelectorAll('#nav a'))
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#${name}`);
  document.title = `${page.title} · MicAi console`;
  $('loading').hidden = true;
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  $('view').hidden = false;
  $('view-title').textContent = page.title;
  $('view-error').textContent = '';
  const body = $('view-body');
  body.replaceChildren();
  leave = await page.render(body, showError) || null;
}

function focusTitle() { $('view-title').focus(); }

$('sign-in').addEventListener('submit', async event => {
  event.preventDefault();
  const key = $('admin-key');
  try {
    await signIn(key.value);
    key.value = ''; // the key leaves the page as soon as it has been checked
    await route();
    focusTitle();
  } catch (error) {
    key.select();
    showSignIn(error.status === 401 ? 'That key is not right.' : error.describe());
  }
});

$('sign-out').addEventListener('click', async () => {
  await signOut();
  showSignIn('Signed out.');
});

window.addEventListener('hashchange', async () => {
  if ($('sign-in').hidden) { await route(); focusTitle(); }
});

whenSignedOut(() => showSignIn('Your session ended; sign in again.'));

if (await loadSession()) await route();
else showSignIn();
