import { admin, get } from './api.js';
import { h, field, table, confirmButton } from './dom.js';

const Tools = ['remind', 'weather'];

function agentForm(agent, onSaved, showError) {
  const name = h('input', { value: agent?.name ?? '', required: true, maxlength: '100', autocomplete: 'off' });
  const persona = h('textarea', { rows: '3', maxlength: '4000' }); persona.value = agent?.persona ?? '';
  const fallback = h('textarea', { rows: '2', maxlength: '4096' }); fallback.value = agent?.fallback_reply ?? '';
  const tools = Tools.map(tool => {
    const box = h('input', { type: 'checkbox', value: tool, checked: agent?.allowed_tools?.includes(tool) ?? false });
    return field(`Tool: ${tool}`, box);
  });
  const llm = h('input', { type: 'checkbox', checked: agent?.llm_enabled ?? false });
  const form = h('form', { class: 'card stack', 'aria-label': agent ? `Edit agent ${agent.name}` : 'New agent' },
    h('h3', { text: agent ? `Agent ${agent.name}` : 'New agent' }),
    field('Name', name), field('Persona', persona, 'the LLM\'s system prompt'),
    field('Fallback reply', fallback, '{name} and {text} are filled in'),
    h('fieldset', {}, h('legend', { text: 'Allowed tools' }), tools), field('LLM replies', llm),
    h('button', { type: 'submit', text: agent ? 'Save agent' : 'Create agent' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = {
      name: name.value, persona: persona.value, fallback_reply: fallback.value || undefined, llm_enabled: llm.checked,
      allowed_tools: [...form.querySelectorAll('fieldset input:checked')].map(b => b.value),
    };
    try { onSaved(agent ? await admin('PUT', `/agents/${agent.id}`, body) : await admin('POST', '/agents', body)); }
    catch (error) { showError(error.describe()); }
  });
  return form;
}

function ruleSummary(rule) {
  const match = rule.rule_type === 'prefix' ? `starts with “${rule.prefix}”` : `words: ${rule.keywords.join(', ')}`;
  const action = rule.action === 'tool' ? `runs ${rule.tool}` : `replies “${rule.reply_text}”`;
  return `${match} → ${action}`;
}

function ruleForm(agent, rule, onSaved, showError) {
  const type = h('select', {}, h('option', { value: 'keyword', text: 'keyword' }), h('option', { value: 'prefix', text: 'prefix' }));
  type.value = rule?.rule_type ?? 'keyword';
  const keywords = h('input', { value: rule?.keywords?.join(', ') ?? '', autocomplete: 'off' });
  const prefix = h('input', { value: rule?.prefix ?? '', autocomplete: 'off' });
  const action = h('select', {}, h('option', { value: 'reply_text', text: 'reply with text' }), h('option', { value: 'tool', text: 'run a tool' }));
  action.value = rule?.action ?? 'reply_text';
  const reply = h('textarea', { rows: '2' }); reply.value = rule?.reply_text ?? '';
  const tool = h('select', {}, Tools.map(t => h('option', { value: t, text: t }))); tool.value = rule?.tool ?? 'weather';
  const priority = h('input', { type: 'number', value: String(rule?.priority ?? 100), min: '0' });
  const enabled = h('input', { type: 'checkbox', checked: rule?.enabled ?? true });
  const form = h('form', { class: 'card stack', 'aria-label': rule ? `Edit rule ${rule.id}` : 'New rule' },
    h('h3', { text: rule ? `Rule ${rule.id}` : 'New rule' }),
    field('Rule type', type), field('Keywords', keywords, 'comma-separated; whole words, any case or accent'), field('Prefix', prefix),
    field('Action', action), field('Reply text', reply), field('Tool', tool), field('Priority', priority, 'lowest first'), field('Enabled', enabled),
    h('button', { type: 'submit', text: rule ? 'Save rule' : 'Add rule' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = {
      agent_id: agent.id, rule_type: type.value, keywords: keywords.value, prefix: prefix.value || undefined, action: action.value,
      reply_text: reply.value || undefined, tool: action.value === 'tool' ? tool.value : undefined, priority: Number(priority.value), enabled: enabled.checked,
    };
    try { await (rule ? admin('PUT', `/rules/${rule.id}`, body) : admin('POST', '/rules', body)); onSaved(); }
    catch (error) { showError(error.describe()); }
  });
  return form;
}

function tryBox(agent, showError) {
  const text = h('textarea', { rows: '2', maxlength: '4096' });
  const result = h('div', { class: 'try-result', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { class: 'card stack', 'aria-label': 'Try a message' },
    h('h3', { text: 'Try a message' }),
    h('p', { class: 'hint', text: 'Shows who would answer and the reply, as the worker decides it. Nothing is sent or stored.' }),
    field('Message to try', text), h('button', { type: 'submit', text: 'Try' }), result);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const answer = await admin('POST', `/agents/${agent.id}/try`, { text: text.value });
      result.replaceChildren(
        h('p', {}, 'Answered by ', h('strong', { 'data-try': 'responder', text: answer.responder }),
          answer.matched_rule_id ? ` (rule ${answer.matched_rule_id})` : ''),
        answer.reply ? h('blockquote', { 'data-try': 'reply', text: answer.reply }) : '',
        answer.note ? h('p', { class: 'hint', text: answer.note }) : '');
    } catch (error) { showError(error.describe()); }
  });
  return form;
}

function bindings(agent, contacts, refresh, showError) {
  const waId = h('input', { autocomplete: 'off', inputmode: 'tel' });
  const form = h('form', { class: 'card stack', 'aria-label': 'Bindings' },
    h('h3', { text: 'Bound contacts' }),
    table('Contacts bound to this agent', ['Contact', 'Name', ''], contacts.map(c => h('tr', {},
      h('td', { text: c.wa_id }), h('td', { text: c.profile_name ?? '' }),
      h('td', {}, h('button', { type: 'button', class: 'secondary', text: `Unbind ${c.wa_id}`,
        onclick: async () => { try { await admin('DELETE', `/bind/${encodeURIComponent(c.wa_id)}`); refresh(); } catch (e) { showError(e.describe()); } } }))))),
    field('WhatsApp id to bind', waId), h('button', { type: 'submit', text: 'Bind contact' }));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    try { await admin('POST', `/bind/${encodeURIComponent(waId.value.trim())}/${agent.id}`); refresh(); }
    catch (error) { showError(error.describe()); }
  });
  return form;
}

export async function agents(body, showError) {
  const list = h('div', { class: 'stack' });
  const detail = h('div', { class: 'stack' });
  body.append(h('div', { class: 'split' }, list, detail));

  async function showAgent(agent) {
    const [rules, contacts] = await Promise.all([get(`/agents/${agent.id}/rules`), get(`/contacts?agent_id=${agent.id}&limit=200`)]);
    const reload = () => showAgent(agent).catch(e => showError(e.describe()));
    const editing = h('div');
    detail.replaceChildren(
      agentForm(agent, saved => { load(saved.id); }, showError),
      tryBox(agent, showError),
      table(`Rules of ${agent.name}, in matching order`, ['Priority', 'Rule', 'Enabled', ''], rules.map(rule => h('tr', {},
        h('td', { text: String(rule.priority) }), h('td', { text: ruleSummary(rule) }), h('td', { text: rule.enabled ? 'yes' : 'no' }),
        h('td', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', text: `Edit rule ${rule.id}`, onclick: () => { editing.replaceChildren(ruleForm(agent, rule, reload, showError)); editing.querySelector('select')?.focus(); } }),
          confirmButton(`Delete rule ${rule.id}`, 'Delete this rule?', async () => { await admin('DELETE', `/rules/${rule.id}`); reload(); }))))),
      editing,
      ruleForm(agent, null, reload, showError),
      bindings(agent, contacts.items, reload, showError),
      agent.is_default ? '' : confirmButton(`Delete agent ${agent.name}`, 'Delete this agent and its rules?', async () => { await admin('DELETE', `/agents/${agent.id}`); load(); }));
  }

  async function load(selectId) {
    try {
      const page = await get('/agents?limit=200');
      list.replaceChildren(
        h('ul', { class: 'pick', 'aria-label': 'Agents' }, page.items.map(agent => h('li', {},
          h('button', { type: 'button', class: 'link', text: `${agent.name}${agent.is_default ? ' (default)' : ''}`,
            onclick: () => showAgent(agent).catch(e => showError(e.describe())) })))),
        agentForm(null, created => load(created.id), showError));
      const chosen = page.items.find(a => a.id === selectId) ?? page.items[0];
      if (chosen) await showAgent(chosen);
    } catch (error) { showError(error.describe()); }
  }

  await load();
}
