// Audit (#/audit, #/audit/ID): start an audit of a stage as of a date (an
// auditor), its progress polled every second, the runs kept; a run opens
// to its counts by finding type, amounts, tables and charts per kabupaten
// and per lembaga bayar, its findings (each to its leaves, their proofs
// checked in this browser, and the family's trail), its exports, and a
// comparison with an earlier run.

import { t, lang } from './i18n.js';
import { h, fill, defList, scrollTable } from './dom.js';
import { api } from './api.js';
import { num, dateTime } from './fmt.js';
import { rupiah, errorBox, sortableTable, barChart, pager, proofCheck } from './widgets.js';

export const titleKey = 'auditTitle';

const POLL_MS = 1000;
const PAGE = 50;
const BASE = '/jejak/v1/console/';

export function show(main, ctx) {
  return ctx.params[0] ? showRun(main, ctx, ctx.params[0]) : showList(main, ctx);
}

const typeText = (types, type) => {
  const d = types.find((x) => x.type === type);
  return d ? (lang() === 'id' ? d.id : d.en) : '';
};

// ---- The runs, and starting one ----

function showList(main, ctx) {
  const body = h('div', { id: 'audits', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  main.append(h('h1', { tabindex: '-1' }, t('auditTitle')), h('p', { class: 'intro' }, t('auditIntro')), body);
  let timer = null;
  let startedHere = null;  // the id of the run this page started
  let form = null;

  const load = async () => {
    let data;
    try {
      data = await api('audits');
    } catch (err) {
      if (ctx.alive() && err.status !== 401) fill(body, errorBox('audits-error', t('loadFailed'), err));
      return;
    }
    if (!ctx.alive()) return;
    if (startedHere && !data.running && data.runs.some((r) => r.id === startedHere)) {
      ctx.go(`audit/${encodeURIComponent(startedHere)}`);
      return;
    }
    if (!form) form = startForm(data, async (stage, asOf, out, button) => {
      button.disabled = true;
      try {
        const job = await api('audits', { method: 'POST', body: { stage, as_of: asOf } });
        startedHere = job.id;
        fill(out);
        load();
      } catch (err) {
        if (ctx.alive()) fill(out, errorBox('audit-start-error', t('auditStartFailed'), err));
        button.disabled = false;
      }
    });
    form.update(data);
    fill(body, form.el, progress(data.running), runs(data.runs ?? [], data.types ?? []));
    body.setAttribute('aria-busy', 'false');
    clearTimeout(timer);
    if (data.running) timer = setTimeout(load, POLL_MS);
  };
  load();
  return () => clearTimeout(timer);
}

function startForm(data, start) {
  const stage = h('select', { id: 'audit-stage' }, (data.stages ?? []).map((s) =>
    h('option', { value: s.stage }, `${s.stage} (${s.from} – ${s.to})`)));
  const today = new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);  // WIB
  const date = h('input', { id: 'audit-date', type: 'date', value: today, required: true });
  const out = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', id: 'audit-start' }, t('auditStart'));
  const why = h('p', { id: 'audit-why', class: 'message info', hidden: true }, t('auditMayNot'));
  const el = h('form', {
    id: 'audit-form',
    class: 'card',
    'aria-labelledby': 'audit-form-h',
    on: { submit: (e) => { e.preventDefault(); start(stage.value, date.value, out, button); } },
  },
  h('h2', { id: 'audit-form-h' }, t('auditNew')),
  h('div', { class: 'form-row' },
    h('div', { class: 'field' }, h('label', { for: 'audit-stage' }, t('auditStage')), stage),
    h('div', { class: 'field' }, h('label', { for: 'audit-date' }, t('auditAsOf')), date)),
  why, button, out);
  return {
    el,
    update(d) {
      // A viewer sees why not, and no button to press.
      button.hidden = !d.may_start;
      button.disabled = !d.may_start || !!d.running || !(d.stages ?? []).length;
      why.hidden = !!d.may_start;
      stage.disabled = !d.may_start;
      date.disabled = !d.may_start;
    },
  };
}

function progress(running) {
  if (!running) return null;
  const done = running.done ?? 0;
  const total = Math.max(1, running.total ?? 1);
  return h('section', { class: 'card', id: 'audit-running', 'aria-labelledby': 'audit-running-h' },
    h('h2', { id: 'audit-running-h' }, t('auditRunning', running.stage, running.as_of ?? '')),
    h('progress', { id: 'audit-progress', max: String(total), value: String(done), 'aria-labelledby': 'audit-running-h' }),
    h('p', { class: 'muted', role: 'status' }, running.writing ? t('auditWriting')
      : t('auditProgress', num(Math.floor((100 * done) / total)), running.by ?? '', dateTime(running.started))));
}

function runs(list, types) {
  if (!list.length) return h('section', { 'aria-labelledby': 'runs-h' }, h('h2', { id: 'runs-h' }, t('auditRuns')), h('p', { class: 'muted' }, t('auditNoRuns')));
  return h('section', { 'aria-labelledby': 'runs-h' },
    h('h2', { id: 'runs-h' }, t('auditRuns')),
    scrollTable('runs', t('auditRuns'),
      [t('colRun'), t('auditStage'), t('auditAsOf'), t('colBy'), t('colFinished'), t('colState'), [t('colFindings'), 'num']],
      list.map((r) => h('tr', { 'data-run': r.id },
        h('td', {}, h('a', { href: `#/audit/${encodeURIComponent(r.id)}` }, t('auditRunLink', r.id))),
        h('td', {}, r.stage), h('td', {}, r.as_of ?? t('none')), h('td', {}, r.by ?? t('none')),
        h('td', { class: 'when' }, dateTime(r.finished)), h('td', {}, r.state === 'done' ? t('stateDone') : (r.state ?? '')),
        h('td', { class: 'num' }, num(r.findings), worst(r.summary, types)))),
      'data', true));
}

// The worst finding type a run found, beside its count.
function worst(summary, types) {
  const w = types.find((x) => (summary?.[x.type] ?? 0) > 0);
  return w ? h('span', { class: 'sub' }, w.type) : null;
}

// ---- One run ----

function showRun(main, ctx, id) {
  const body = h('div', { id: 'audit-run', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  main.append(
    h('p', { class: 'back' }, h('a', { href: '#/audit' }, `← ${t('auditBack')}`)),
    h('h1', { tabindex: '-1' }, t('auditRunTitle', id)),
    body);
  const findingsBox = h('section', { id: 'findings-section', 'aria-labelledby': 'findings-h' });
  const filter = { type: '', kabupaten: '', offset: 0 };
  let types = [];
  let report = null;

  const loadFindings = async () => {
    const q = new URLSearchParams({ offset: String(filter.offset), limit: String(PAGE), proofs: '1' });
    if (filter.type) q.set('type', filter.type);
    if (filter.kabupaten) q.set('kabupaten', filter.kabupaten);
    findingsBox.setAttribute('aria-busy', 'true');
    try {
      const page = await api(`audits/${encodeURIComponent(id)}/findings?${q}`);
      if (ctx.alive()) drawFindings(findingsBox, page, types, report, filter, loadFindings);
    } catch (err) {
      if (ctx.alive() && err.status !== 401) fill(findingsBox, errorBox('findings-error', t('loadFailed'), err));
    }
    findingsBox.setAttribute('aria-busy', 'false');
  };

  (async () => {
    let list;
    let one;
    try {
      [list, one] = await Promise.all([api('audits'), api(`audits/${encodeURIComponent(id)}`)]);
    } catch (err) {
      if (ctx.alive() && err.status !== 401) fill(body, errorBox('audit-error', t('loadFailed'), err));
      return;
    }
    if (!ctx.alive()) return;
    types = list.types ?? [];
    report = one.report ?? {};
    fill(body,
      runSummary(one.run, report),
      typeCounts(report.summary ?? {}, types),
      amounts(report),
      perKabupaten(report),
      perLembaga(report),
      exports(id),
      compare(id, (list.runs ?? []).filter((r) => r.id !== id), ctx),
      findingsBox);
    body.setAttribute('aria-busy', 'false');
    loadFindings();
  })();
}

function runSummary(run, report) {
  const notes = (lang() === 'id' ? report.notes_id : report.notes) ?? report.notes ?? [];
  const missing = (lang() === 'id' ? report.missing_id : report.missing) ?? report.missing ?? [];
  return h('section', { class: 'card', 'aria-labelledby': 'run-h' },
    h('h2', { id: 'run-h' }, t('auditRunSection')),
    defList([
      [t('auditStage'), run.stage],
      [t('auditWindow'), report.window ? `${report.window.from} – ${report.window.to}` : t('none')],
      [t('auditAsOf'), run.as_of ?? t('none')],
      [t('auditMoment'), report.moment ?? run.moment ?? t('none')],
      [t('colBy'), run.by ?? t('none')],
      [t('colFinished'), dateTime(run.finished)],
      [t('auditLogs'), num(run.logs ?? (report.logs ?? []).length)],
      [t('auditMissing'), missing.length ? h('ul', { class: 'plain', id: 'audit-missing' }, missing.map((m) => h('li', {}, m))) : t('none')],
    ], 'kv kv-grid'),
    notes.length ? h('ul', { class: 'notes muted' }, notes.map((n) => h('li', {}, n))) : null);
}

function typeCounts(summary, types) {
  const found = types.filter((x) => (summary[x.type] ?? 0) > 0);
  return h('section', { 'aria-labelledby': 'types-h' },
    h('h2', { id: 'types-h' }, t('auditByType')),
    found.length
      ? scrollTable('type-counts', t('auditByType'), [t('colType'), t('colDescription'), [t('colCount'), 'num']],
          found.map((x) => h('tr', { 'data-type': x.type },
            h('td', {}, h('code', {}, x.type)), h('td', {}, lang() === 'id' ? x.id : x.en), h('td', { class: 'num' }, num(summary[x.type])))),
          'data narrow', true)
      : h('p', { class: 'message ok', id: 'no-findings' }, t('auditNoFindings')));
}

function amounts(report) {
  const tt = report.totals ?? {};
  return h('section', { class: 'cards', 'aria-label': t('auditAmounts') },
    h('div', { class: 'card stat' }, h('h2', {}, t('amountApproved')), h('p', { class: 'big', id: 'amount-approved' }, rupiah(tt.approved_amount)),
      h('p', { class: 'muted' }, t('familiesCount', num(tt.approved)))),
    h('div', { class: 'card stat' }, h('h2', {}, t('amountPaid')), h('p', { class: 'big', id: 'amount-paid' }, rupiah(tt.paid_amount)),
      h('p', { class: 'muted' }, t('receiptsCount', num(tt.paid)))),
    h('div', { class: ['card', 'stat', report.at_risk > 0 && 'stat-bad'] }, h('h2', {}, t('amountAtRisk')),
      h('p', { class: 'big', id: 'amount-at-risk' }, rupiah(report.at_risk)),
      h('p', { class: 'muted' }, t('findingsCount', num(tt.findings)))));
}

function perKabupaten(report) {
  const rows = Object.entries(report.kabupaten ?? {}).map(([code, k]) => ({
    code, ...k, at_risk: report.at_risk_by_kabupaten?.[code] ?? 0,
  }));
  return h('section', { 'aria-labelledby': 'kab-h' },
    h('h2', { id: 'kab-h' }, t('auditPerKabupaten')),
    h('div', { class: 'split' },
      sortableTable('kabupaten', t('auditPerKabupaten'), [
        { key: 'code', label: t('colKabupaten') },
        { key: 'approved', label: t('colApproved'), num: true, cell: (r) => num(r.approved) },
        { key: 'approved_amount', label: t('colApprovedAmount'), num: true, cell: (r) => rupiah(r.approved_amount) },
        { key: 'paid_amount', label: t('colPaidAmount'), num: true, cell: (r) => rupiah(r.paid_amount) },
        { key: 'unpaid', label: t('colUnpaid'), num: true, cell: (r) => num(r.unpaid) },
        { key: 'at_risk', label: t('colAtRisk'), num: true, cell: (r) => rupiah(r.at_risk) },
      ], rows),
      barChart('chart-kabupaten', t('chartKabupaten'), rows.map((r) => ({ label: r.code, value: r.paid_amount ?? 0 })), rupiah)));
}

function perLembaga(report) {
  const rows = Object.entries(report.lembaga_bayar ?? {}).map(([origin, l]) => ({ origin, ...l }));
  return h('section', { 'aria-labelledby': 'lb-h' },
    h('h2', { id: 'lb-h' }, t('auditPerLembaga')),
    h('div', { class: 'split' },
      sortableTable('lembaga-bayar', t('auditPerLembaga'), [
        { key: 'origin', label: t('colLembaga'), cell: (r) => h('code', {}, r.origin) },
        { key: 'receipts', label: t('colReceipts'), num: true, cell: (r) => num(r.receipts) },
        { key: 'paid_amount', label: t('colPaidAmount'), num: true, cell: (r) => rupiah(r.paid_amount) },
        { key: 'failed_amount', label: t('colFailedAmount'), num: true, cell: (r) => rupiah(r.failed_amount) },
        { key: 'returned_amount', label: t('colReturnedAmount'), num: true, cell: (r) => rupiah(r.returned_amount) },
      ], rows),
      barChart('chart-lembaga', t('chartLembaga'), rows.map((r) => ({ label: r.origin.split('/').pop(), value: r.paid_amount ?? 0 })), rupiah)));
}

function exports(id) {
  const href = (q) => `${BASE}audits/${encodeURIComponent(id)}/export?${q}`;
  return h('section', { class: 'card', 'aria-labelledby': 'export-h' },
    h('h2', { id: 'export-h' }, t('auditExport')),
    h('ul', { class: 'buttons', id: 'exports' },
      [['format=json', 'JSON'], ['format=csv', 'CSV'], ['format=xlsx', 'XLSX'], ['format=pdf&lang=id', 'PDF (Bahasa Indonesia)'], ['format=pdf&lang=en', 'PDF (English)']]
        .map(([q, name]) => h('li', {}, h('a', { class: 'button-link', href: href(q), download: '', 'data-format': q }, name)))));
}

function compare(id, others, ctx) {
  const select = h('select', { id: 'compare-with' }, others.map((r) => h('option', { value: r.id }, `${t('auditRunLink', r.id)} · ${r.stage} · ${r.as_of ?? ''}`)));
  const out = h('div', { id: 'compare-out', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', id: 'compare-submit', class: 'secondary' }, t('auditCompare'));
  const run = async (e) => {
    e.preventDefault();
    button.disabled = true;
    try {
      const c = await api(`audits/${encodeURIComponent(id)}/compare?with=${encodeURIComponent(select.value)}`);
      if (!ctx.alive()) return;
      const list = (name, items) => h('section', {},
        h('h3', {}, `${t(name)}: ${num(items.length)}`),
        items.length ? h('ul', { class: 'plain', 'data-list': name }, items.map((f) =>
          h('li', {}, h('code', {}, f.type), ' ', f.kabupaten ?? '', ' ', f.txn_ref ?? '', ' ', f.kpm ? h('code', {}, f.kpm) : ''))) : null);
      fill(out,
        h('p', { id: 'compare-counts' }, t('compareCounts', num(c.added), num(c.removed), num(c.unchanged))),
        list('compareAdded', c.added_findings ?? []),
        list('compareRemoved', c.removed_findings ?? []));
    } catch (err) {
      if (ctx.alive()) fill(out, errorBox('compare-error', t('loadFailed'), err));
    }
    button.disabled = false;
  };
  return h('form', { class: 'card', id: 'compare-form', 'aria-labelledby': 'compare-h', on: { submit: run } },
    h('h2', { id: 'compare-h' }, t('auditCompareTitle')),
    others.length
      ? [h('div', { class: 'field' }, h('label', { for: 'compare-with' }, t('auditCompareWith')), select), button, out]
      : h('p', { class: 'muted' }, t('auditNoOther')));
}

// ---- Findings ----

function drawFindings(box, page, types, report, filter, reload) {
  const typeSel = h('select', { id: 'filter-type' },
    h('option', { value: '' }, t('filterAll')),
    types.filter((x) => (report.summary?.[x.type] ?? 0) > 0 || x.type === filter.type).map((x) => h('option', { value: x.type, selected: x.type === filter.type }, x.type)));
  const kabSel = h('select', { id: 'filter-kabupaten' },
    h('option', { value: '' }, t('filterAll')),
    Object.keys(report.kabupaten ?? {}).map((k) => h('option', { value: k, selected: k === filter.kabupaten }, k)));
  const apply = () => {
    filter.type = typeSel.value;
    filter.kabupaten = kabSel.value;
    filter.offset = 0;
    reload();
  };
  typeSel.addEventListener('change', apply);
  kabSel.addEventListener('change', apply);
  const list = page.findings ?? [];
  const rows = list.flatMap((f) => {
    const detailId = `finding-${f.n}-detail`;
    const detail = h('tr', { class: 'finding-detail', id: detailId, hidden: true }, h('td', { colspan: '8' }));
    const toggle = h('button', {
      type: 'button', class: 'secondary small', 'aria-expanded': 'false', 'aria-controls': detailId, 'data-finding': String(f.n),
      on: {
        click: () => {
          const open = toggle.getAttribute('aria-expanded') !== 'true';
          toggle.setAttribute('aria-expanded', String(open));
          detail.hidden = !open;
          if (open && !detail.firstChild.firstChild) fill(detail.firstChild, findingDetail(f));
        },
      },
    }, t('findingOpen'));
    return [
      h('tr', { 'data-n': String(f.n), 'data-type': f.type },
        h('td', {}, toggle),
        h('td', {}, h('code', {}, f.type), h('span', { class: 'sub' }, typeText(types, f.type))),
        h('td', {}, f.kabupaten ?? t('none')),
        h('td', {}, f.lembaga_bayar ?? t('none')),
        h('td', {}, f.txn_ref ?? f.complaint_id ?? t('none')),
        h('td', { class: 'num' }, rupiah(f.amount)),
        h('td', { class: 'num' }, rupiah(f.at_risk)),
        h('td', { class: 'detail' }, (lang() === 'id' ? f.detail_id : f.detail) ?? f.detail ?? '')),
      detail,
    ];
  });
  fill(box,
    h('h2', { id: 'findings-h' }, t('auditFindings')),
    h('div', { class: 'form-row filters' },
      h('div', { class: 'field' }, h('label', { for: 'filter-type' }, t('filterType')), typeSel),
      h('div', { class: 'field' }, h('label', { for: 'filter-kabupaten' }, t('filterKabupaten')), kabSel)),
    list.length
      ? scrollTable('findings', t('findingsCaption', num(page.total)),
          [t('colOpen'), t('colType'), t('colKabupaten'), t('colLembaga'), t('colTxn'), [t('colAmount'), 'num'], [t('colAtRisk'), 'num'], t('colDetail')],
          rows, 'data')
      : h('p', { class: 'muted' }, t('auditNoFindings')),
    pager('findings-pager', page.offset ?? filter.offset, PAGE, page.total ?? 0, (o) => { filter.offset = o; reload(); }));
}

function findingDetail(f) {
  return h('div', { class: 'finding' },
    f.kpm ? h('p', {}, `${t('familyPseudonym')}: `, h('a', { href: `#/keluarga/${f.kpm}`, class: 'trail-link', 'data-kpm': f.kpm }, h('code', {}, f.kpm)),
      ' — ', h('a', { href: `#/keluarga/${f.kpm}` }, t('openTrail'))) : null,
    h('h3', {}, t('findingLeaves')),
    h('ol', { class: 'leaves' }, (f.leaves ?? []).map((l, i) =>
      h('li', { 'data-log': l.log, 'data-leaf': String(l.leaf_index) },
        h('span', {}, h('strong', {}, l.role), ' · ', h('code', {}, l.log), ' · ', t('leafIndex', num(l.leaf_index))),
        proofCheck(`f${f.n}-l${i}-`, l.tlog_proof)))));
}

