// The simulator's JSON API (/simulator/api). Every call sends JSON, so a page of another origin cannot make one
// (it would need a CORS preflight that MicAi never answers); errors are ProblemDetails, thrown as Error(detail).
const base = '/simulator/api';

async function call(path, options = {}) {
  const response = await fetch(base + path, {
    ...options,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
  });
  if (response.status === 204) return null;
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.detail ?? body?.title ?? `HTTP ${response.status}`);
  return body;
}

export const getConfig = () => call('/config');
export const getCustomers = () => call('/customers');
export const getConversation = (id) => call(`/customers/${encodeURIComponent(id)}`);
export const addCustomer = (customer) => call('/customers', { method: 'POST', body: JSON.stringify(customer) });
export const sendMessage = (id, message) =>
  call(`/customers/${encodeURIComponent(id)}/messages`, { method: 'POST', body: JSON.stringify(message) });
export const markSeen = (id) => call(`/customers/${encodeURIComponent(id)}/seen`, { method: 'POST', body: '{}' });

// Calls onChange after every change on the server (server-sent events; the browser reconnects by itself).
export function watch(onChange, onConnection) {
  const events = new EventSource(base + '/events');
  events.addEventListener('changed', () => onChange());
  events.addEventListener('open', () => onConnection(true));
  events.addEventListener('error', () => onConnection(false));
  return events;
}
