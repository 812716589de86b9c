// The `@` picker of comment boxes: typing `@` and the start of a name or e-mail name lists the project's members who
// match; arrow keys (or the mouse) choose, Enter or Tab writes `@name ` (the part of their e-mail address before the
// `@`, which the inbox recognises), Escape closes the list. Without the script a comment box is a plain text box and
// `@name` typed by hand works the same. Members come from the box's `data-mentions` attribute: [{"h": handle, "n": name}].
const boxes = document.querySelectorAll("textarea[data-mentions]");
let counter = 0;

for (const box of boxes) {
  let people = [];
  try { people = JSON.parse(box.dataset.mentions); } catch { continue; }
  if (!people.length) continue;
  const id = `mention-list-${++counter}`;
  const list = document.createElement("ul");
  list.id = id;
  list.className = "mention-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  box.insertAdjacentElement("afterend", list);
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", id);
  box.setAttribute("aria-expanded", "false");
  let shown = [];
  let active = 0;
  let start = -1;

  // The `@word` just before the caret, if any: where it starts and what is typed after `@`.
  function query() {
    const upto = box.value.slice(0, box.selectionStart);
    const m = /(^|[^\w.@-])@([\w.\-]*)$/u.exec(upto);
    if (!m) return null;
    return { at: upto.length - m[2].length - 1, text: m[2].toLowerCase() };
  }

  function close() {
    list.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    shown = [];
  }

  function render() {
    list.replaceChildren();
    shown.forEach((p, i) => {
      const item = document.createElement("li");
      item.id = `${id}-${i}`;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", i === active ? "true" : "false");
      item.dataset.handle = p.h;
      const handle = document.createElement("strong");
      handle.textContent = `@${p.h}`;
      item.append(handle, document.createTextNode(` ${p.n}`));
      item.addEventListener("mousedown", (e) => { e.preventDefault(); choose(i); });
      list.append(item);
    });
    list.hidden = shown.length === 0;
    box.setAttribute("aria-expanded", shown.length ? "true" : "false");
    if (shown.length) box.setAttribute("aria-activedescendant", `${id}-${active}`);
  }

  function update() {
    const q = query();
    if (!q) { close(); return; }
    start = q.at;
    shown = people.filter((p) => p.h.toLowerCase().startsWith(q.text) || p.n.toLowerCase().includes(q.text)).slice(0, 8);
    active = 0;
    render();
  }

  function choose(i) {
    const p = shown[i];
    if (!p) return;
    const end = box.selectionStart;
    const text = `@${p.h} `;
    box.value = box.value.slice(0, start) + text + box.value.slice(end);
    const caret = start + text.length;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
  }

  box.addEventListener("input", update);
  box.addEventListener("click", update);
  box.addEventListener("blur", () => setTimeout(close, 150));
  box.addEventListener("keydown", (e) => {
    if (list.hidden || !shown.length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active = (active + (e.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      render();
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault();
      choose(active);
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  });
}
