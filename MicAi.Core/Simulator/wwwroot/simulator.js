// The simulator page: pick or add a customer, type, press Enter. The server builds, signs and posts the webhook,
// and every change it sees (the bot's sends, status ticks, typing) arrives as an event that refreshes the view.
import * as api from './api.js';
import { bubble, customerItem } from './render.js';

const $ = (id) => document.getElementById(id);
const state = { config: null, current: null, seenPending: false, refreshing: null, again: false, typingTimer: 0, announced: 0 };

function showError(id, error) {
  $(id).textContent = error ? String(error.message ?? error) : '';
}

function notices(config) {
  const list = $('notices');
  list.replaceChildren();
  const add = (text) => { const li = document.createElement('li'); li.textContent = text; list.append(li); };
  if (!config.outboundEnabled) add('Outbound sends are off (MICAI_OUTBOUND_REPLY_ENABLED=false): MicAi records its replies as suppressed and none reaches this chat.');
  if (!config.signsWebhooks) add('No app secret (MICAI_WHATSAPP_APP_SECRET): webhooks are posted unsigned.');
  if (!config.graphBaseUrl.includes('/simulator/graph')) add(`MicAi sends to ${config.graphBaseUrl}, not to this simulator: set MICAI_WHATSAPP_GRAPH_BASE_URL to ${location.origin}/simulator/graph.`);
  const prefix = config.invokePrefixes[0];
  $('prefix-hint').textContent = config.requireInvokePrefix
    ? `MicAi answers only messages that start with an invoke prefix (${config.invokePrefixes.join(', ')}), e.g. "${prefix} hello". Enter sends, Shift+Enter starts a new line.`
    : 'Enter sends, Shift+Enter starts a new line.';
  $('message-text').placeholder = config.requireInvokePrefix ? `${prefix} hello` : 'Type a message';
}

async function refresh() {
  // One refresh at a time; a change during one schedules exactly one more.
  if (state.refreshing) { state.again = true; return state.refreshing; }
  state.refreshing = (async () => {
    do {
      state.again = false;
      const customers = await api.getCustomers();
      $('customer-list').replaceChildren(...customers.map((c) => customerItem(c, c.customer.id === state.current, open)));
      if (state.current) await showConversation(await api.getConversation(state.current));
    } while (state.again);
  })().catch((error) => showError('send-error', error)).finally(() => { state.refreshing = null; });
  return state.refreshing;
}

async function showConversation(conversation) {
  const { customer, messages, typing } = conversation;
  $('chat-title').textContent = customer.name;
  $('chat-subtitle').textContent = customer.username ? `${customer.username} · business-scoped user id ${customer.id}` : `+${customer.id}`;
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...messages.map((m) => bubble(m, choose)));
  // Screen readers hear each new bot message once (the list itself is redrawn on every change).
  const newest = messages.filter((m) => !m.fromCustomer).at(-1);
  if (state.announced === null) {
    state.announced = newest?.seq ?? 0; // a chat just opened: its history is on screen, not news
  } else if (newest && newest.seq > state.announced) {
    state.announced = newest.seq;
    $('announcer').textContent = `${customer.name}, MicAi: ${newest.text ?? newest.kind}`;
  }
  if (atBottom) list.scrollTop = list.scrollHeight;
  $('typing').hidden = !typing;
  // "typing…" ends by itself after 25 s without any change to announce it: look again then.
  clearTimeout(state.typingTimer);
  if (typing) state.typingTimer = setTimeout(refresh, 25_500);
  // The chat is on screen: what the bot sent is now read (WhatsApp's blue ticks).
  const unread = messages.some((m) => !m.fromCustomer && ['accepted', 'sent', 'delivered'].includes(m.status));
  if (unread && document.visibilityState === 'visible' && !state.seenPending) {
    state.seenPending = true;
    api.markSeen(customer.id).catch((error) => showError('send-error', error)).finally(() => { state.seenPending = false; });
  }
}

function open(id) {
  if (state.current !== id) state.announced = null;
  state.current = id;
  $('layout').dataset.view = 'chat';
  $('message-text').disabled = false;
  $('send').disabled = false;
  $('message-text').focus(); // at once: what the person types next belongs to this chat
  refresh();
}

async function send(message) {
  if (!state.current) return;
  showError('send-error', null);
  try {
    await api.sendMessage(state.current, message);
  } catch (error) {
    showError('send-error', error);
  }
  await refresh();
}

function choose(message, choice) {
  send({ choiceId: choice.id, replyTo: message.wamid });
}

function wireComposer() {
  const text = $('message-text');
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    text.value = '';
    send({ text: value });
  });
  text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('composer').requestSubmit();
    }
  });
}

function wireNewCustomer() {
  const kind = $('customer-kind');
  kind.addEventListener('change', () => {
    const phone = kind.value === 'phone';
    $('customer-handle-label').textContent = phone ? 'Phone number' : 'Username';
    $('customer-handle').placeholder = phone ? '15551234567' : 'eli.park';
    $('customer-handle').inputMode = phone ? 'tel' : 'text';
  });
  $('new-customer').addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('customer-error', null);
    const handle = $('customer-handle').value.trim();
    const request = { name: $('customer-name').value.trim() || null };
    if (kind.value === 'phone') request.phone = handle; else request.username = handle;
    try {
      const customer = await api.addCustomer(request);
      $('customer-handle').value = '';
      $('customer-name').value = '';
      open(customer.id);
    } catch (error) {
      showError('customer-error', error);
    }
  });
}

async function start() {
  wireComposer();
  wireNewCustomer();
  $('back').addEventListener('click', () => { $('layout').dataset.view = 'list'; });
  state.config = await api.getConfig();
  notices(state.config);
  api.watch(refresh, (up) => { $('connection').textContent = up ? 'live' : 'reconnecting…'; });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') refresh(); });
  await refresh();
}

start().catch((error) => showError('send-error', error));
