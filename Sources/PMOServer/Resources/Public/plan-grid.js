// The plan grid: spreadsheet keys over the WBS table (#wbs). A plain module served by the app (no build step, allowed
// by the CSP's script-src 'self'). The table is readable without it; with it, the cells marked data-c are edited in
// place and every change is posted to the table's data-grid address, which answers the rows as they are now, so the
// moved dates show at once. The server checks everything (stale rows, loops, bad cells) and changes all or nothing.

const table = document.getElementById('wbs');
if (table && table.dataset.editable === '1') new PlanGrid(table);

function PlanGrid(table) {
  let body = table.tBodies[0];
  const status = document.getElementById('grid-status');
  const undoButton = document.getElementById('grid-undo');
  const words = table.dataset;
  const activityBase = words.grid.replace(/\/grid$/, '/activities/');
  const partial = new URLSearchParams(location.search).has('level') || document.querySelector('nav.parts') !== null;
  const columnOf = (th) => th.dataset.col;
  const columns = Array.from(table.tHead.rows[0].cells).map(columnOf);
  let active = null;
  let editor = null;
  let moved = [];
  let movedTimer = null;
  let busy = false;

  for (const td of body.querySelectorAll('td')) td.tabIndex = -1;
  table.addEventListener('click', (e) => {
    const td = e.target.closest('td');
    if (!td || !body.contains(td) || e.target.closest('a') || (editor && editor.td === td)) return;
    if (anchor) clearBlock();
    activate(td);
  });
  table.addEventListener('dblclick', (e) => {
    const td = e.target.closest('td[data-c]');
    if (td && body.contains(td)) { activate(td); edit(td, null); }
  });
  table.addEventListener('keydown', onKey);
  table.addEventListener('paste', onPaste);
  if (undoButton) {
    undoButton.form.addEventListener('submit', (e) => { e.preventDefault(); undo(); });
  }
  // Open the row the address points at (#a12), as the WBS links do.
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.tagName === 'TR') activate(target.cells[2]);

  // MARK: Moving around

  // MARK: A block of cells (Shift+arrows) and copying it

  let anchor = null;   // the block's fixed corner: the active cell when Shift was first pressed
  let corner = null;   // its moving corner [row, column]

  function clearBlock() {
    for (const td of body.querySelectorAll('td.selected')) td.classList.remove('selected');
    anchor = null;
    corner = null;
  }

  function stretch(dRow, dCol) {
    const tr = active.parentElement;
    if (!anchor) { anchor = [tr.sectionRowIndex, active.cellIndex]; corner = anchor.slice(); }
    corner = [Math.max(0, Math.min(body.rows.length - 1, corner[0] + dRow)), Math.max(0, Math.min(tr.cells.length - 1, corner[1] + dCol))];
    for (const td of body.querySelectorAll('td.selected')) td.classList.remove('selected');
    for (const [r, c] of blockCells()) body.rows[r].cells[c].classList.add('selected');
  }

  function blockCells() {
    const cells = [];
    const [r0, r1] = [Math.min(anchor[0], corner[0]), Math.max(anchor[0], corner[0])];
    const [c0, c1] = [Math.min(anchor[1], corner[1]), Math.max(anchor[1], corner[1])];
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) cells.push([r, c]);
    return cells;
  }

  // Ctrl+C: the block (or the active cell) as tab-separated lines, which Excel and the grid's own paste read back.
  table.addEventListener('copy', (e) => {
    if (editor || !active) return;
    let text;
    if (anchor) {
      const lines = new Map();
      for (const [r, c] of blockCells()) {
        if (!lines.has(r)) lines.set(r, []);
        lines.get(r).push(cellText(body.rows[r].cells[c]));
      }
      text = Array.from(lines.values(), (cells) => cells.join('\t')).join('\n');
    } else {
      text = cellText(active);
    }
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
  });

  function activate(td) {
    if (!td) return;
    if (active) active.classList.remove('active');
    active = td;
    td.classList.add('active');
    td.focus({ preventScroll: true });
    // Scrolled into view only when it is out of it (reading its box lays out a table that changed, so not after every key).
    const r = td.getBoundingClientRect();
    if (r.top < 0 || r.bottom > innerHeight) td.scrollIntoView({ block: 'nearest' });
  }

  function move(dRow, dCol) {
    if (anchor) clearBlock();
    if (!active) { activate(body.rows[0] && body.rows[0].cells[2]); return; }
    const tr = active.parentElement;
    const rowIndex = tr.sectionRowIndex + dRow;
    const colIndex = Math.max(0, Math.min(tr.cells.length - 1, active.cellIndex + dCol));
    const next = body.rows[Math.max(0, Math.min(body.rows.length - 1, rowIndex))];
    if (next) activate(next.cells[colIndex]);
  }

  function onKey(e) {
    if (editor) return;   // the editor's own keys (below)
    const k = e.key;
    const mod = e.ctrlKey || e.metaKey;
    if (e.altKey && e.shiftKey && (k === 'ArrowRight' || k === 'ArrowLeft')) { e.preventDefault(); outline(k === 'ArrowRight' ? 'indent' : 'outdent'); return; }
    if (mod && (k === 'z' || k === 'Z')) { e.preventDefault(); undo(); return; }
    if (mod && k === 'Delete') { e.preventDefault(); deleteRow(); return; }
    if (k === 'Insert') { e.preventDefault(); insertRow(); return; }
    if (!active) return;
    // Shift+arrows stretch a block from the active cell (Ctrl+C copies it as Excel does, tab-separated).
    if (e.shiftKey && !mod && k.startsWith('Arrow')) {
      e.preventDefault();
      const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[k];
      stretch(d[0], d[1]);
      return;
    }
    const pageRows = 20;
    switch (k) {
      case 'ArrowUp': e.preventDefault(); move(-1, 0); return;
      case 'ArrowDown': e.preventDefault(); move(1, 0); return;
      case 'ArrowLeft': e.preventDefault(); move(0, -1); return;
      case 'ArrowRight': e.preventDefault(); move(0, 1); return;
      case 'PageDown': e.preventDefault(); move(pageRows, 0); return;
      case 'PageUp': e.preventDefault(); move(-pageRows, 0); return;
      case 'Home': e.preventDefault(); mod ? move(-body.rows.length, -99) : move(0, -99); return;
      case 'End': e.preventDefault(); mod ? move(body.rows.length, 99) : move(0, 99); return;
      case 'Tab': e.preventDefault(); move(0, e.shiftKey ? -1 : 1); return;
      case 'Enter': case 'F2': e.preventDefault(); edit(active, null); return;
      case 'Delete': case 'Backspace':
        if (active.dataset.c && active.dataset.c !== 'name') { e.preventDefault(); save(active, ''); }
        return;
    }
    if (k.length === 1 && !mod && !e.altKey && active.dataset.c) { e.preventDefault(); edit(active, k); }
  }

  // MARK: Editing a cell

  function cellText(td) {
    const v = td.querySelector('.v');
    return (v ? v.textContent : td.textContent).trim();
  }

  // The editor floats over the cell instead of going into it: opening and closing it then leaves the table's layout
  // alone (laying out a 2,000-row table costs a frame of ~150 ms).
  function edit(td, typed) {
    if (!td || !td.dataset.c || busy) return;
    const original = cellText(td);
    const input = document.createElement('input');
    input.className = 'cell-editor';
    input.value = typed === null ? original : typed;
    input.setAttribute('aria-label', (table.tHead.rows[0].cells[td.cellIndex].textContent || '') + ' ' + rowLabel(td.parentElement));
    const host = table.parentElement;
    const box = td.getBoundingClientRect(), hostBox = host.getBoundingClientRect();
    input.style.left = (box.left - hostBox.left + host.scrollLeft) + 'px';
    input.style.top = (box.top - hostBox.top + host.scrollTop) + 'px';
    input.style.width = Math.max(box.width, 96) + 'px';
    input.style.height = box.height + 'px';
    host.appendChild(input);
    td.classList.add('editing');
    editor = { td, input, original };
    input.focus({ preventScroll: true });
    if (typed === null) input.select();
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); stopEditing(false); activate(td); }
      else if (e.key === 'Enter') { e.preventDefault(); stopEditing(true); move(e.shiftKey ? -1 : 1, 0); }
      else if (e.key === 'Tab') { e.preventDefault(); stopEditing(true); move(0, e.shiftKey ? -1 : 1); }
    });
    input.addEventListener('blur', () => { if (editor && editor.input === input) stopEditing(true); });
  }

  function stopEditing(keep) {
    const { td, input, original } = editor;
    editor = null;
    const value = input.value;
    input.remove();
    td.classList.remove('editing');
    if (keep && value.trim() !== original) save(td, value);
  }

  function rowLabel(tr) { return tr.dataset.uid || ''; }


  function save(td, value) {
    const tr = td.parentElement;
    const cells = {};
    cells[td.dataset.c] = value;
    // The cursor stays where the key that saved moved it (Enter: down, Tab: right).
    send({ edits: [{ row: 1, uid: +tr.dataset.uid, v: +tr.dataset.v, op: 'update', cells }] }, null, tr.sectionRowIndex);
  }

  // MARK: Rows

  function outline(op) {
    if (!active) return;
    const tr = active.parentElement;
    send({ edits: [{ row: 1, uid: +tr.dataset.uid, v: +tr.dataset.v, op }] }, { uid: tr.dataset.uid, col: active.cellIndex, structure: true }, tr.sectionRowIndex);
  }

  function insertRow() {
    const tr = active ? active.parentElement : null;
    const edit = { row: 1, op: 'create', cells: { name: words.newName } };
    if (tr) { edit.after = +tr.dataset.uid; if (tr.dataset.parent) edit.parent = +tr.dataset.parent; }
    send({ edits: [edit] }, { created: true, col: 2, editAfter: true, structure: true }, tr ? tr.sectionRowIndex + 1 : body.rows.length);
  }

  async function deleteRow() {
    if (!active || busy) return;
    const tr = active.parentElement;
    if (!confirm(words.confirmDelete + '\n\n' + tr.dataset.uid + ' ' + cellText(tr.cells[2]))) return;
    const form = new URLSearchParams({ _csrf: words.csrf, version: tr.dataset.v });
    busy = true;
    say(words.saving, false);
    const index = tr.sectionRowIndex;
    try {
      const r = await fetch(activityBase + tr.dataset.uid + '/delete', { method: 'POST', body: form, redirect: 'manual' });
      if (r.type !== 'opaqueredirect' && !r.ok) { say(await problemText(r), true); return; }
      await refresh({ rowIndex: index, col: active ? active.cellIndex : 2, structure: true });
      say(words.saved, false);
    } finally { busy = false; }
  }

  // MARK: Paste

  function onPaste(e) {
    if (editor || !active) return;
    const text = e.clipboardData && e.clipboardData.getData('text/plain');
    if (!text) return;
    e.preventDefault();
    const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
    const startRow = active.parentElement.sectionRowIndex;
    const startCol = active.cellIndex;
    const edits = [];
    let last = null;
    lines.forEach((line, i) => {
      const values = line.split('\t');
      const tr = body.rows[startRow + i];
      const cells = {};
      let uid = tr ? +tr.dataset.uid : null;
      values.forEach((value, j) => {
        const col = columns[startCol + j];
        if (col === 'id') { if (value.trim() !== '') uid = +value.trim() || -1; return; }
        if (col && col !== 'outline' && col !== 'float') cells[col] = value;
      });
      if (uid) {
        const row = document.querySelector('#a' + uid);
        edits.push({ row: i + 1, uid, v: row ? +row.dataset.v : undefined, op: 'update', cells });
        last = row || last;
      } else {
        // Lines past the last row add activities, under the same parent as the last row pasted over.
        const edit = { row: i + 1, op: 'create', cells };
        const anchor = last || body.rows[body.rows.length - 1];
        if (anchor && anchor.dataset.parent) edit.parent = +anchor.dataset.parent;
        edits.push(edit);
      }
    });
    send({ edits }, { uid: active.parentElement.dataset.uid, col: startCol, structure: edits.some((x) => x.op === 'create') }, startRow);
  }

  // MARK: Talking to the server

  // `base` is the grid row (0-based) of the change's row 1, so a refusal's "row 2" finds its row on screen.
  async function send(change, focus, base) {
    if (busy) return;
    busy = true;
    const began = performance.now();
    say(words.saving, false);
    try {
      const r = await fetch(words.grid, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': words.csrf },
        body: JSON.stringify(change),
      });
      const answered = performance.now();
      const answer = await r.json().catch(() => null);
      const parsed = performance.now();
      if (!r.ok || !answer || !answer.rows) {
        say(problemOf(answer, r.status, base), true);
        markBad(answer, base);
        if (r.status === 409) await refresh(focus, true);
        return;
      }
      if (focus && focus.created && answer.created.length) focus.uid = String(answer.created[0]);
      show(answer, focus);
      const shown = performance.now();
      // Measured when the browser has laid out and painted the moved dates (the frame after the change); the parts
      // say where the time went (the benchmark prints them).
      requestAnimationFrame(() => setTimeout(() => {
        const now = performance.now();
        table.dataset.lastChangeParts = [answered - began, parsed - answered, shown - parsed, now - shown].map(Math.round).join('/');
        table.dataset.lastChangeMs = String(Math.round(now - began));
      }, 0));
      say(words.saved, false);
    } catch (err) {
      say(String(err), true);
    } finally { busy = false; }
    // A row just inserted opens its name for typing.
    if (focus && focus.editAfter && active && active.dataset.c === 'name' && !editor) edit(active, null);
  }

  async function undo() {
    if (busy) return;
    busy = true;
    say(words.saving, false);
    try {
      const r = await fetch(words.undo, { method: 'POST', headers: { 'Accept': 'application/json', 'X-CSRF-Token': words.csrf } });
      const answer = await r.json().catch(() => null);
      if (!r.ok || !answer || !answer.rows) { say(problemOf(answer, r.status), true); return; }
      show(answer, active ? { uid: active.parentElement.dataset.uid, col: active.cellIndex, structure: true } : null);
      say(words.saved, false);
    } finally { busy = false; }
  }

  async function refresh(focus) {
    const r = await fetch(words.rows, { headers: { 'Accept': 'application/json' } });
    if (!r.ok) return;
    const answer = await r.json();
    show(answer, focus);
  }

  function problemOf(answer, status, base) {
    if (!answer) return 'HTTP ' + status;
    const lines = [answer.message];
    for (const c of answer.cells || []) {
      const col = columns.indexOf(c.column);
      const label = col >= 0 ? table.tHead.rows[0].cells[col].textContent : c.column;
      // An existing row is named by its ID; a new one (a pasted line) by its line in the change.
      const tr = c.row && base !== undefined ? body.rows[base + c.row - 1] : null;
      const where = tr ? 'ID ' + tr.dataset.uid : (c.row ? words.rowWord + ' ' + c.row : '');
      const message = c.message.replace(/^Row \d+(, [a-z]+)?: /, '');
      lines.push((where ? where + ' · ' : '') + label + ': ' + message);
    }
    return lines.join('\n');
  }

  async function problemText(r) {
    const type = r.headers.get('Content-Type') || '';
    if (type.includes('json')) return problemOf(await r.json(), r.status);
    return 'HTTP ' + r.status;
  }

  function markBad(answer, base) {
    for (const td of body.querySelectorAll('td.bad')) td.classList.remove('bad');
    if (!answer || !answer.cells || base === undefined) return;
    for (const c of answer.cells) {
      const tr = c.row ? body.rows[base + c.row - 1] : null;
      const col = columns.indexOf(c.column);
      if (tr && col >= 0) tr.cells[col].classList.add('bad');
    }
  }

  function say(text, bad) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('error', bad);
    status.classList.toggle('shown', text !== '');
    // "Saved" goes away by itself; a refusal stays until the next change.
    if (!bad && text === words.saved) setTimeout(() => { if (status.textContent === text) say('', false); }, 2500);
  }

  // MARK: Showing the rows as they are now

  function show(answer, focus) {
    if (undoButton) undoButton.disabled = !answer.undo;
    if (!focus && active) focus = { uid: active.parentElement.dataset.uid, col: active.cellIndex };
    if (!answer.all) {
      // Only the rows that changed, in a plan whose rows kept their order.
      for (const row of answer.rows) { const tr = document.getElementById('a' + row.uid); if (tr) patch(tr, row); }
      return focusOn(focus);
    }
    const present = Array.from(body.rows, (tr) => tr.dataset.uid);
    const sameOrder = answer.rows.length === present.length && answer.rows.every((row, i) => String(row.uid) === present[i]);
    if (!sameOrder && partial) { location.reload(); return; }
    if (sameOrder) {
      answer.rows.forEach((row, i) => patch(body.rows[i], row));
    } else {
      const fresh = document.createElement('tbody');
      for (const row of answer.rows) fresh.appendChild(build(row));
      table.replaceChild(fresh, body);
      body = fresh;
    }
    focusOn(focus);
  }

  function focusOn(focus) {
    let tr = null;
    if (focus && focus.uid) tr = document.getElementById('a' + focus.uid);
    if (!tr && focus && focus.rowIndex !== undefined) tr = body.rows[Math.min(focus.rowIndex, body.rows.length - 1)];
    // The same cell stays active without being activated again (that would read its box: a layout of the table).
    if (tr && tr.cells[focus.col || 2] !== active) activate(tr.cells[focus.col || 2]);
  }

  function patch(tr, row) {
    tr.dataset.v = String(row.v);
    const cls = rowClass(row);
    if (tr.className !== cls) tr.className = cls;
    if (row.parent) tr.dataset.parent = String(row.parent); else delete tr.dataset.parent;
    const values = cellValues(row);
    for (let i = 0; i < tr.cells.length; i++) {
      const td = tr.cells[i];
      if (td === (editor && editor.td)) continue;
      if (i === 2) {
        const name = td.querySelector('.v');
        if (name && name.textContent !== row.name) name.textContent = row.name;
        setMarks(td, row);
      } else if (i > 0 && td.textContent !== values[i]) {
        td.textContent = values[i];
        // Lit up so the eye finds what moved; when most of the plan moved, lighting all of it says nothing and costs
        // a frame, so only the first few hundred are.
        if (moved.length < 300) { td.classList.add('moved'); moved.push(td); }
      }
    }
    // One timer takes the highlight off every cell that moved in this change.
    if (moved.length && !movedTimer) movedTimer = setTimeout(() => {
      for (const m of moved) m.classList.remove('moved');
      moved = [];
      movedTimer = null;
    }, 1500);
  }

  function rowClass(row) {
    return 'lvl' + Math.min(row.level, 6) + (row.summary ? ' summary' : '') + (row.critical ? ' critical' : '');
  }

  function cellValues(row) {
    return [String(row.uid), row.outline, row.name, row.duration, row.start, row.finish, row.float, row.predecessors, row.owner, row.company, row.percent];
  }

  function setMarks(td, row) {
    // Only when the row's marks change: most of a big change's rows keep theirs.
    const mark = td.querySelector('.mark'), crit = td.querySelector('.crit');
    if (!!mark === !!row.milestone && !!crit === !!row.critical) return;
    if (mark) mark.remove();
    if (crit) crit.remove();
    if (row.milestone) { const s = document.createElement('span'); s.className = 'mark'; s.textContent = ' ◆'; td.appendChild(s); }
    if (row.critical) { const s = document.createElement('span'); s.className = 'crit'; s.title = 'critical'; s.textContent = '!'; td.appendChild(s); }
  }

  function build(row) {
    const tr = document.createElement('tr');
    tr.id = 'a' + row.uid;
    tr.dataset.uid = String(row.uid);
    const values = cellValues(row);
    const editable = [null, null, 'name', 'duration', 'start', 'finish', null, 'predecessors', 'owner', 'company', 'percent'];
    const classes = ['num id', 'outline', 'name', 'num', 'date start', 'date finish', 'num float', '', '', '', 'num pct'];
    values.forEach((value, i) => {
      const td = document.createElement('td');
      if (classes[i]) td.className = classes[i];
      td.tabIndex = -1;
      const c = editable[i];
      if (c && !(row.summary && ['duration', 'start', 'finish', 'percent'].includes(c))) td.dataset.c = c;
      if (i === 0) {
        const a = document.createElement('a');
        a.href = activityBase + row.uid;
        a.textContent = value;
        td.appendChild(a);
      } else if (i === 2) {
        const v = document.createElement('span');
        v.className = 'v';
        v.textContent = value;
        td.appendChild(v);
      } else {
        td.textContent = value;
      }
      tr.appendChild(td);
    });
    patch(tr, row);
    return tr;
  }
}
