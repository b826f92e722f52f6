// DOM for chats and bubbles. Text always goes in through textContent, never as HTML: what a customer or the bot
// writes cannot become markup or script.
const mediaLabels = {
  image: '📷 Image', video: '🎬 Video', audio: '🎤 Audio', document: '📄 Document', sticker: '🏷️ Sticker',
  location: '📍 Location', contacts: '👤 Contact card', reaction: 'Reaction',
};

// The customer's own bubbles: "sent" means MicAi took the webhook (delivered to the business), "read" that it marked it read.
const customerTicks = { sending: ['🕓', 'sending'], sent: ['✓✓', 'delivered'], read: ['✓✓', 'read'], failed: ['!', 'failed'] };
const botTicks = { accepted: ['🕓', 'pending'], sent: ['✓', 'sent'], delivered: ['✓✓', 'delivered'], read: ['✓✓', 'read'], failed: ['!', 'failed'] };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function time(at) {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function customerItem(summary, selected, onOpen) {
  const { customer, last, typing } = summary;
  const item = el('li');
  const button = el('button', 'customer' + (selected ? ' selected' : ''));
  button.type = 'button';
  button.dataset.customerId = customer.id;
  if (selected) button.setAttribute('aria-current', 'true');
  button.append(el('span', 'customer-name', customer.name));
  button.append(el('span', 'customer-id', customer.username ? `${customer.username} · ${customer.id}` : `+${customer.id}`));
  const preview = typing ? 'typing…' : last ? `${last.fromCustomer ? 'You: ' : ''}${last.text ?? mediaLabels[last.kind] ?? last.kind}` : 'No messages yet';
  button.append(el('span', 'customer-last', preview));
  button.addEventListener('click', () => onOpen(customer.id));
  item.append(button);
  return item;
}

function choices(message, onChoose) {
  if (!message.choices?.length) return null;
  const box = el(message.choiceKind === 'list_reply' ? 'details' : 'div', 'choices');
  if (message.choiceKind === 'list_reply') box.append(el('summary', 'list-button', message.listButton ?? 'Options'));
  for (const choice of message.choices) {
    const button = el('button', 'choice', choice.title);
    button.type = 'button';
    if (choice.description) button.title = choice.description;
    button.addEventListener('click', () => onChoose(message, choice));
    box.append(button);
  }
  return box;
}

export function bubble(message, onChoose) {
  const item = el('li', 'bubble ' + (message.fromCustomer ? 'from-customer' : 'from-bot'));
  item.dataset.wamid = message.wamid;
  item.dataset.status = message.status;
  item.dataset.kind = message.kind;
  if (message.kind in mediaLabels) item.append(el('p', 'media', mediaLabels[message.kind] + (message.header ? ` · ${message.header}` : '')));
  else if (message.header) item.append(el('p', 'bubble-header', message.header));
  if (message.kind === 'template') item.append(el('p', 'badge', 'Template'));
  if (message.text) item.append(el('p', 'bubble-text', message.text));
  if (message.footer) item.append(el('p', 'bubble-footer', message.footer));
  const offered = choices(message, onChoose);
  if (offered) item.append(offered);
  if (message.error) item.append(el('p', 'error', message.error));

  const [symbol, label] = (message.fromCustomer ? customerTicks : botTicks)[message.status] ?? ['', message.status];
  const meta = el('p', 'meta');
  meta.append(el('time', null, time(message.at)));
  const ticks = el('span', 'ticks ' + message.status, symbol);
  ticks.setAttribute('role', 'img');
  ticks.setAttribute('aria-label', label);
  meta.append(ticks);
  item.append(meta);
  return item;
}
