import { admin } from './api.js';
import { h, field, time } from './dom.js';

// An Idempotency-Key for one composed message; getRandomValues works on plain http too (randomUUID needs HTTPS).
function newKey() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map(b => b.toString(16).padStart(2, '0')).join('');
}

// Inside the 24-hour window: free text. Outside it: a template (name, language, body parameters one per line).
function composer(contact) {
  if (contact.window_open) {
    const text = h('textarea', { rows: '3', maxlength: '4096', required: true });
    return {
      note: ['The 24-hour window is open until ', time(contact.window_closes_at), ': free text can be sent.'],
      fields: [field('Reply', text)],
      body: () => ({ text: text.value }),
    };
  }
  const name = h('input', { required: true, autocomplete: 'off', maxlength: '512' });
  const language = h('input', { autocomplete: 'off', placeholder: 'en_US', maxlength: '15' });
  const params = h('textarea', { rows: '2' });
  return {
    note: contact.window_closes_at
      ? ['The 24-hour window closed at ', time(contact.window_closes_at), ': only an approved template can be sent.']
      : 'This contact has never written: only an approved template can be sent.',
    fields: [field('Template name', name), field('Template language', language, 'empty: MICAI_TEMPLATE_LANGUAGE'),
      field('Body parameters', params, 'one per line, in order: {{1}}, {{2}} …')],
    body: () => ({
      template: {
        name: name.value.trim(), language: language.value.trim() || undefined,
        body_params: params.value.split('\n').map(p => p.trim()).filter(Boolean),
      },
    }),
  };
}

/**
 * The reply box: POST {contact}/messages with an Idempotency-Key made once per composed message. Sending the same
 * message again after a failure (a timeout, a 5xx) reuses its key, so the server sends it at most once; editing it
 * makes it a new message with a new key.
 */
export function replyBox(path, contact, onChange, showError) {
  const compose = composer(contact);
  const status = h('p', { class: 'hint', role: 'status' });
  const send = h('button', { type: 'submit', text: contact.window_open ? 'Send reply' : 'Send template' });
  const form = h('form', { class: 'card stack reply-box', 'aria-label': 'Reply to the contact' },
    h('p', { class: 'hint window-note' }, compose.note), compose.fields, send, status);
  let key = null;
  form.addEventListener('input', () => { key = null; });
  form.addEventListener('submit', async event => {
    event.preventDefault();
    key ??= newKey();
    send.disabled = true;
    try {
      const row = await admin('POST', `${path}/messages`, compose.body(), { 'Idempotency-Key': key });
      key = null;
      form.reset();
      status.textContent = `Queued (${row.status}).`;
      showError('');
      await onChange();
    } catch (error) {
      status.textContent = '';
      showError(error.status === 409 ? `Not sent: ${error.describe()}` : `Not sent (press Send again to retry the same message): ${error.describe()}`);
      if (error.status === 409) await onChange(); // the window may have closed or a handover begun: show it
    } finally { send.disabled = false; }
  });
  return form;
}
