// How a page is laid out on the phone, measured in the browser for tests/browser/test_phone_tables.py.
// Called with {keys, actions}: selectors of the page's key figures and of its actions.
({ keys, actions }) => {
  const width = window.innerWidth;
  const main = document.querySelector("main");

  const shown = (element) => {
    // checkVisibility: not in a closed <details>, whose content keeps its boxes.
    const box = element.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && element.checkVisibility({ visibilityProperty: true });
  };
  const describe = (element) => {
    const box = element.getBoundingClientRect();
    const text = (element.innerText || "").trim().replace(/\s+/g, " ").slice(0, 60);
    const name = element.tagName.toLowerCase() + (element.id ? `#${element.id}` : "");
    return `${name} "${text}" x=${Math.round(box.left)}..${Math.round(box.right)}`;
  };
  const offScreen = (element) => {
    const box = element.getBoundingClientRect();
    return box.left < 0 || box.right > width + 0.5;
  };
  const wordCount = (text) => text.split(/\s+/).filter(Boolean).length;

  // The boxes a text is drawn in, a box per line it spans (or more, never fewer).
  const textBoxes = (node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return [...range.getClientRects()].filter((box) => box.width > 0 && box.height > 0);
  };
  // Boxes whose middles fall within one another's height sit on one line.
  const lineCount = (boxes) => {
    const lines = [];
    for (const box of [...boxes].sort((a, b) => a.top - b.top)) {
      const middle = (box.top + box.bottom) / 2;
      if (!lines.some((line) => middle >= line.top && middle <= line.bottom)) lines.push(box);
    }
    return lines.length;
  };
  // The texts a reader sees in an element: not those of hidden helpers or of a progress bar.
  const texts = (element) => {
    const found = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!node.data.trim() || parent.closest(".visually-hidden, progress") || !shown(parent)) {
        continue;
      }
      found.push(node);
    }
    return found;
  };

  const cells = [...main.querySelectorAll("table th, table td")].filter(shown);
  // Badges and buttons are squeezed the same way beside a long name.
  const squeezable = [...main.querySelectorAll(".badge, .btn")].filter(shown);
  const wordPerLine = [];
  for (const cell of [...cells, ...squeezable]) {
    const nodes = texts(cell);
    const boxes = [];
    let words = 0;
    for (const node of nodes) {
      const own = textBoxes(node);
      const count = wordCount(node.data);
      if (count >= 2 && lineCount(own) >= count) {
        wordPerLine.push(`${describe(cell)}: "${node.data.trim()}" on ${lineCount(own)} lines`);
      }
      boxes.push(...own);
      words += count;
    }
    if (words >= 2 && lineCount(boxes) >= words) {
      wordPerLine.push(`${describe(cell)}: ${words} words on ${lineCount(boxes)} lines`);
    }
  }

  const keyFigures = [...document.querySelectorAll(keys)];
  const actionElements = [...document.querySelectorAll(actions)];
  const scrollers = [...main.querySelectorAll("*")].filter((element) =>
    ["auto", "scroll"].includes(getComputedStyle(element).overflowX),
  );
  return {
    viewport: width,
    scroll_width: document.scrollingElement.scrollWidth,
    wide_boxes: scrollers
      .filter((element) => element.scrollWidth > element.clientWidth + 1)
      .map((element) => `${describe(element)} scrolls ${element.scrollWidth} > ${element.clientWidth}`),
    keys: keyFigures.length,
    keys_hidden: keyFigures.filter((element) => !shown(element)).map(describe),
    keys_off_screen: keyFigures.filter(offScreen).map(describe),
    actions: actionElements.length,
    actions_hidden: actionElements.filter((element) => !shown(element)).map(describe),
    actions_off_screen: actionElements.filter(offScreen).map(describe),
    word_per_line: wordPerLine,
    unlabelled_cells: cells
      .filter((cell) => cell.tagName === "TD" && cell.colSpan < 2 && !cell.dataset.label)
      .map(describe),
  };
}
