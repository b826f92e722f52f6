// The console's only way to the server: its session (cookie + CSRF token) and the admin API with it.
let session = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, detail, errors) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.errors = errors;
  }

  describe() {
    const fields = this.errors ? Object.entries(this.errors).map(([name, messages]) => `${name}: ${messages.join(' ')}`) : [];
    return [this.message, ...fields].join(' — ');
  }
}

export const whenSignedOut = handler => { onSignedOut = handler; };

async function failure(response) {
  let problem = {};
  try { problem = await response.json(); } catch { /* not JSON */ }
  return new ApiError(response.status, problem.detail || problem.title, problem.errors);
}

export async function loadSession() {
  const response = await fetch('console/api/session', { credentials: 'same-origin' });
  session = response.status === 200 ? await response.json() : null; // 204: not signed in
  return session;
}

export async function signIn(key) {
  const response = await fetch('console/api/session', {
    method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }),
  });
  if (!response.ok) throw await failure(response);
  session = await response.json();
  return session;
}

export async function signOut() {
  await fetch('console/api/session', {
    method: 'DELETE', credentials: 'same-origin', headers: session ? { 'x-csrf-token': session.csrf_token } : {},
  });
  session = null;
}

/** Calls the admin API ({admin_base}{path}) with the session (and any extra headers); 401 means the session ended. */
export async function admin(method, path, body, extraHeaders = {}) {
  if (!session) throw new ApiError(401, 'not signed in');
  const headers = { ...extraHeaders, 'x-csrf-token': session.csrf_token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(session.admin_base + path, {
    method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) { session = null; onSignedOut(); }
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? null : response.json();
}

export const get = path => admin('GET', path);
