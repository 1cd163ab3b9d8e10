// h(tag, props, ...children): an element built without innerHTML, so that
// no text from the node or a proof is ever parsed as markup.
//   props: {class, text, on: {event: fn}, ...attributes}; children: nodes,
//   strings, numbers, arrays, and null/false/undefined (skipped).
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'on') {
      for (const [event, fn] of Object.entries(v)) el.addEventListener(event, fn);
    } else if (k === 'class') {
      el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    } else if (k === 'text') {
      el.textContent = v;
    } else if (k === 'value') {
      el.value = v;  // a property: a <textarea> has no value attribute
    } else if (k in el && typeof v !== 'string') {
      el[k] = v;  // value, checked, disabled, ...
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// Replaces el's children (the same children h() takes).
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A <dl> of [term, description] pairs.
export function defList(pairs, cls = 'kv') {
  return h('dl', { class: cls }, pairs.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

// A table in a horizontally scrolling region (phones): reachable and
// scrollable by keyboard, named by its caption (for screen readers only
// when `quietCaption`: a heading right above says the same).
export function scrollTable(id, caption, head, rows, tableClass = '', quietCaption = false) {
  const capId = `${id}-caption`;
  return h(
    'div',
    { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-labelledby': capId },
    h(
      'table',
      { id, class: tableClass },
      h('caption', { id: capId, class: quietCaption ? 'visually-hidden' : null }, caption),
      // A heading is its text, or [text, class] ('num': a column of numbers).
      h('thead', {}, h('tr', {}, head.map((c) =>
        Array.isArray(c) ? h('th', { scope: 'col', class: c[1] }, c[0]) : h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows),
    ),
  );
}
