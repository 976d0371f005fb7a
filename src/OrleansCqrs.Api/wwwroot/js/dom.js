// Small DOM helpers: every piece of text goes in through textContent, never innerHTML, so nothing a server or a user
// typed can become markup.

export const byId = (id) => document.getElementById(id);

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = cell instanceof Node ? wrap(cell) : element('td', cell?.text ?? cell, cell?.className);
    tr.append(td);
  }
  return tr;
}

function wrap(node) {
  const td = document.createElement('td');
  td.append(node);
  return td;
}

export function show(node, visible) {
  node.hidden = !visible;
}

const amounts = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const money = (value) => amounts.format(Number(value));

export function time(value) {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? '' : at.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
