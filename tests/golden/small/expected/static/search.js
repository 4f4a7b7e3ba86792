// The search page's script: searches the Pagefind bundle in ../pagefind/ and lists the
// results above the page's full lists, which stay as they are. Loads nothing from elsewhere,
// writes no inline style, and builds every result from text nodes and <mark> elements only.
//
// Each indexed page names its kind and case in Pagefind metadata (`kind`, `case`), not in
// Pagefind filters, whose index Pagefind writes in a different order on every run; so the
// kind chosen in the form is applied here, to results as they load.
//
// Every word it shows is the page's: the search page gives them, in its language, as `data-`
// attributes of this script's element (`data-status-nothing`, ...), a text counted in words
// once per plural form the language gives (`data-status-found-one`, `-few`, ...); the script
// picks the form by the language's plural rules and writes numbers as the language does.
//
// A classic script, not a module: a page opened from disk (file://) runs classic scripts
// beside it but no modules, and Pagefind cannot read its index from disk either; there the
// page says so and keeps its lists.

(() => {
  "use strict";

  const PAGE_SIZE = 20;
  const MOST_LOADED_AT_ONCE = 200;
  const form = document.getElementById("_search-form");
  const term = document.getElementById("_search-term");
  const kind = document.getElementById("_search-kind");
  const status = document.getElementById("_search-status");
  const list = document.getElementById("_search-results");
  const moreRow = document.getElementById("_search-more-row");
  const more = document.getElementById("_search-more");
  const script = document.currentScript;
  const bundle = new URL("../pagefind/pagefind.js", script.src).href;
  const language = document.documentElement.lang || "en";
  const plurals = new Intl.PluralRules(language);
  const numbers = new Intl.NumberFormat(language);

  function say(name, values = {}) {
    // The page's words called `name`, their `{placeholders}` filled in with `values`.
    const words = script.getAttribute(`data-${name}`) || "";
    return words.replace(/\{(\w+)\}/g, (whole, key) =>
      Object.hasOwn(values, key) ? String(values[key]) : whole,
    );
  }

  function counted(name, count, values) {
    // The words of `name` in the form the language takes for `count` (its `other` form when
    // the page gives none for that number), with `{count}` written as the language writes it.
    const form = `${name}-${plurals.select(count)}`;
    const chosen = script.hasAttribute(`data-${form}`) ? form : `${name}-other`;
    return say(chosen, { ...values, count: numbers.format(count) });
  }

  if (window.location.protocol === "file:") {
    form.hidden = true;
    status.textContent = say("status-from-disk");
    return;
  }

  let pagefind = null;
  let latest = 0;
  let current = null;

  async function load() {
    // A large site's index is made in parts (`data-index-parts`: their folders in the
    // bundle), which are merged into the first and searched as one, each in the page's
    // language (else Pagefind may merge a part's index of another language).
    if (pagefind === null) {
      const api = await import(bundle);
      await api.init();
      const parts = (script.getAttribute("data-index-parts") || "").split(" ").filter(Boolean);
      for (const part of parts) {
        await api.mergeIndex(new URL(part, bundle).href, { language });
      }
      pagefind = api;
    }
    return pagefind;
  }

  function excerpt(html) {
    // Pagefind's excerpts are escaped text with <mark> around the words found; they are read
    // in an inert document and copied over as text and <mark> only.
    const parsed = new DOMParser().parseFromString(html || "", "text/html");
    const fragment = document.createDocumentFragment();
    for (const node of parsed.body.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.append(mark);
      } else {
        fragment.append(document.createTextNode(node.textContent));
      }
    }
    return fragment;
  }

  function entry(data) {
    // One result per page found, as the count says. The sources page is one page for
    // Pagefind, each source on it a heading with the source's id: the sources that match are
    // listed within its result, each with its own excerpt.
    const meta = data.meta || {};
    const kindName = meta.kind ? say(`result-${meta.kind.toLowerCase()}`) || meta.kind : "";
    const label = [kindName, meta.case].filter(Boolean).join(" · ");
    const parts = meta.kind === "Source" ? (data.sub_results || []).filter((sub) => sub.anchor) : [];
    return { title: meta.title, url: data.url, label, excerpt: data.excerpt, parts };
  }

  function linked(title, url) {
    // A title in its own direction: on an Arabic page, a page not yet translated is found by
    // its English title, whose closing quotation mark and ellipsis stay at its end.
    const link = document.createElement("a");
    link.dir = "auto";
    link.href = url;
    link.textContent = title || url;
    return link;
  }

  function excerptParagraph(html) {
    // In the direction of its own words: a page not yet translated gives an English excerpt.
    const text = document.createElement("p");
    text.className = "search-excerpt";
    text.dir = "auto";
    text.append(excerpt(html));
    return text;
  }

  function render(found) {
    const item = document.createElement("li");
    item.append(linked(found.title, found.url));
    if (found.label) {
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = ` ${found.label}`;
      item.append(meta);
    }
    if (found.parts.length === 0) {
      item.append(excerptParagraph(found.excerpt));
      return item;
    }
    const parts = document.createElement("ul");
    parts.className = "search-parts";
    for (const part of found.parts) {
      const row = document.createElement("li");
      row.append(linked(part.title, part.url), excerptParagraph(part.excerpt));
      parts.append(row);
    }
    item.append(parts);
    return item;
  }

  function describe(state) {
    const { words, kind: kindValue, pages, shown, pending } = state;
    if (pages === 0) {
      return say("status-nothing", { words });
    }
    const found = counted("status-found", pages, { words });
    if (!kindValue) {
      return say("status-all", { found });
    }
    const narrowed = kindValue.toLowerCase();
    if (pending.length === 0) {
      return say(`status-in-kind-${narrowed}`, { found, shown: numbers.format(shown) });
    }
    return say(`status-showing-kind-${narrowed}`, { found });
  }

  async function showMore(state) {
    // Loads results in order until a page of them is shown, or a bounded number is loaded
    // (when a kind is chosen, most results may be of other kinds).
    if (state.loading) {
      return;
    }
    state.loading = true;
    let added = 0;
    let loaded = 0;
    while (added < PAGE_SIZE && loaded < MOST_LOADED_AT_ONCE && state.pending.length > 0) {
      const batch = state.pending.splice(0, PAGE_SIZE);
      loaded += batch.length;
      const pages = await Promise.all(batch.map((result) => result.data()));
      if (state !== current) {
        state.loading = false;
        return;
      }
      for (const data of pages) {
        if (state.kind && (data.meta || {}).kind !== state.kind) {
          continue;
        }
        list.append(render(entry(data)));
        added += 1;
        state.shown += 1;
      }
    }
    state.loading = false;
    list.hidden = state.shown === 0;
    moreRow.hidden = state.pending.length === 0;
    status.textContent = describe(state);
  }

  function remember(words, kindValue) {
    const address = new URL(window.location.href);
    address.searchParams.delete("q");
    address.searchParams.delete("kind");
    if (words) {
      address.searchParams.set("q", words);
    }
    if (kindValue) {
      address.searchParams.set("kind", kindValue);
    }
    window.history.replaceState(null, "", address);
  }

  async function run(now) {
    const search = ++latest;
    const words = term.value.trim();
    const kindValue = kind.value;
    remember(words, kindValue);
    if (!words) {
      current = null;
      list.replaceChildren();
      list.hidden = true;
      moreRow.hidden = true;
      status.textContent = "";
      return;
    }
    let found;
    try {
      const api = await load();
      found = now ? await api.search(words) : await api.debouncedSearch(words);
    } catch {
      status.textContent = say("status-failed");
      return;
    }
    if (found === null || search !== latest) {
      return;
    }
    current = {
      words,
      kind: kindValue,
      pages: found.results.length,
      pending: found.results.slice(),
      shown: 0,
      loading: false,
    };
    list.replaceChildren();
    await showMore(current);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(true);
  });
  term.addEventListener("input", () => run(false));
  kind.addEventListener("change", () => run(true));
  more.addEventListener("click", () => {
    if (current !== null) {
      showMore(current);
    }
  });
  term.addEventListener("focus", () => load().catch(() => {}), { once: true });

  const asked = new URL(window.location.href).searchParams;
  term.value = asked.get("q") || "";
  if ([...kind.options].some((option) => option.value === asked.get("kind"))) {
    kind.value = asked.get("kind");
  }
  if (term.value) {
    run(true);
  }
})();
