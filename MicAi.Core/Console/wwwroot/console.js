import { loadSession, signIn, signOut, whenSignedOut } from './api.js';
import { dashboard } from './dashboard.js';
import { agents } from './agents.js';
import { schedules } from './schedules.js';
import { deadJobs } from './dead-jobs.js';
import { outbound } from './outbound.js';
import { conversations } from './conversations.js';
import { attention } from './attention.js';

// Each page: a title and a render(body, showError, detail) that may return a function to call when the page is left.
// The hash is #page or #page/detail (e.g. #conversations/15551234567: that contact's thread).
const pages = {
  dashboard: { title: 'Dashboard', render: dashboard },
  conversations: { title: 'Conversations', render: conversations },
  attention: { title: 'Attention', render: attention },
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
  const [hashName, ...rest] = location.hash.slice(1).split('/');
  const name = hashName in pages ? hashName : 'dashboard';
  const detail = rest.length ? decodeURIComponent(rest.join('/')) : null;
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
  leave = await page.render(body, showError, detail) || null;
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
