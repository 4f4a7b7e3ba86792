// The synthetic case, read from yaml/ and resolved for the templates: every reference becomes
// a name and a URL, every list is sorted, like the generator's context.py.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const KINDS = ["filing", "hearing", "ruling", "order", "brief", "statement", "legislation",
  "deadline", "poll", "context"];
const STAGES = { magistrate: "Magistrate judge", district: "District court", appeals: "Court of appeals",
  "appeals-en-banc": "Court of appeals, en banc", supreme: "Supreme Court", other: "Other" };
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function when(value) {
  const iso = String(value);
  const [y, m, d] = iso.split("-").map(Number);
  const display = d ? `${d} ${MONTHS[m - 1]} ${y}` : m ? `${MONTHS[m - 1]} ${y}` : `${y}`;
  return { iso, display, year: y };
}

function load(name) {
  // JSON_SCHEMA keeps dates as the strings editors wrote.
  return yaml.load(readFileSync(join("yaml", `${name}.yaml`), "utf8"), { schema: yaml.JSON_SCHEMA }) || [];
}

export default function () {
  const site = load("site");
  const c = load("case");
  const slug = "synthetic";
  const base = `${slug}/`;
  const raw = {};
  for (const name of ["parties", "rulings", "events", "quotes", "polls", "sources"]) raw[name] = load(name);

  const number = new Map(raw.sources.map((s, i) => [s.id, i + 1]));
  const cite = (ids = []) =>
    [...new Set(ids)].sort((a, b) => number.get(a) - number.get(b))
      .map((id) => ({ id, number: number.get(id), url: `${base}sources/#${id}` }));
  const partyById = new Map(raw.parties.map((p) => [p.id, p]));
  const link = (id) => ({ id, label: partyById.get(id).name, url: `${base}parties/${id}/` });
  const byDate = (key) => (a, b) => (String(a[key]) < String(b[key]) ? -1 : String(a[key]) > String(b[key]) ? 1 : 0);

  const parties = new Map(raw.parties.map((p) => [p.id, {
    id: p.id, url: `${base}parties/${p.id}/`, name: p.name, kind: p.kind, kind_label: cap(p.kind),
    role: p.role, title: p.title || null, side: p.side || "Other", summary: p.summary || null,
    member_of: p.member_of ? link(p.member_of) : null, members: [], sources: cite(p.sources),
    quotes: [], events: [], rulings: [],
  }]));
  for (const p of raw.parties) if (p.member_of) parties.get(p.member_of).members.push(link(p.id));

  const quotes = new Map([...raw.quotes].sort(byDate("said_on")).map((q) => {
    const speaker = partyById.get(q.speaker);
    return [q.id, {
      id: q.id, url: `${base}quotes/${q.id}/`, text: q.text, speaker: link(q.speaker),
      speaker_kind: speaker.kind, speaker_role: q.speaker_role || speaker.title || speaker.role,
      said_on: when(q.said_on), venue: q.venue, context: q.context || null, note: q.note || null,
      key: Boolean(q.key), sources: cite(q.sources), events: [],
    }];
  }));
  const rulings = new Map([...raw.rulings].sort(byDate("date")).map((r) => [r.id, {
    id: r.id, url: `${base}rulings/${r.id}/`, title: r.title, court: link(r.court), stage: r.stage,
    stage_label: STAGES[r.stage], judges: (r.judges || []).map(link), date: when(r.date),
    citation: r.citation || "not reported", outcome: r.outcome, holding: r.holding,
    favours: r.favours ? link(r.favours) : null, next_step: r.next_step || null,
    sources: cite(r.sources), events: [],
  }]));
  const events = [...raw.events].sort(byDate("date")).map((e) => ({
    id: e.id, url: `${base}timeline/${e.id}/`, date: when(e.date), title: e.title, kind: e.kind,
    kind_label: cap(e.kind), body: e.body, parties: (e.parties || []).map(link),
    ruling: e.ruling ? { id: e.ruling, label: rulings.get(e.ruling).title, url: rulings.get(e.ruling).url } : null,
    quotes: (e.quotes || []).map((id) => quotes.get(id)), sources: cite(e.sources),
  }));
  events.forEach((e, i) => {
    e.previous = events[i - 1] || null;
    e.next = events[i + 1] || null;
    const l = { id: e.id, label: e.title, url: e.url };
    for (const q of e.quotes) q.events.push(l);
    if (e.ruling) rulings.get(e.ruling.id).events.push(l);
    for (const p of e.parties) parties.get(p.id).events.push(e);
  });
  const quoteList = [...quotes.values()];
  const bySpeaker = new Map();
  for (const q of quoteList) {
    parties.get(q.speaker.id).quotes.push(q);
    if (!bySpeaker.has(q.speaker.id)) bySpeaker.set(q.speaker.id, []);
    bySpeaker.get(q.speaker.id).push(q);
  }
  quoteList.forEach((q, i) => {
    q.previous = quoteList[i - 1] || null;
    q.next = quoteList[i + 1] || null;
    q.same_speaker = bySpeaker.get(q.speaker.id).filter((other) => other !== q);
  });
  for (const r of rulings.values()) {
    for (const id of [...new Set([r.court.id, ...r.judges.map((j) => j.id)])].sort()) parties.get(id).rulings.push(r);
  }

  const sources = raw.sources.map((s, i) => ({
    id: s.id, number: i + 1, title: s.title, publisher: s.publisher, author: s.author || null, url: s.url,
    published: s.published ? when(s.published).display : "not reported", note: s.note || null, cited_by: [],
  }));
  const sourceById = new Map(sources.map((s) => [s.id, s]));
  const citedBy = (items) => {
    for (const [l, cites] of items) for (const c of cites) {
      const list = sourceById.get(c.id).cited_by;
      if (!list.some((x) => x.url === l.url)) list.push(l);
    }
  };
  citedBy(events.map((e) => [{ label: e.title, url: e.url }, e.sources]));
  citedBy([...rulings.values()].map((r) => [{ label: r.title, url: r.url }, r.sources]));
  citedBy(quoteList.map((q) => [{ label: `Quote by ${q.speaker.label}, ${q.said_on.display}`, url: q.url }, q.sources]));
  citedBy([...parties.values()].map((p) => [{ label: p.name, url: p.url }, p.sources]));

  const years = (list) => {
    const groups = new Map();
    for (const e of list) {
      if (!groups.has(e.date.year)) groups.set(e.date.year, []);
      groups.get(e.date.year).push(e);
    }
    return [...groups].map(([year, items]) => ({ year, events: items }));
  };
  const filter = (label, url, list) => ({ label, url, count: list.length, years: years(list) });
  const kind_filters = KINDS.filter((k) => events.some((e) => e.kind === k))
    .map((k) => filter(cap(k), `${base}timeline/kind/${k}/`, events.filter((e) => e.kind === k)));
  const party_filters = [...parties.values()].filter((p) => p.events.length)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => filter(p.name, `${base}timeline/party/${p.id}/`, p.events));
  const sides = new Map();
  for (const p of [...parties.values()].sort((a, b) => (a.side === "Other") - (b.side === "Other"))) {
    if (!sides.has(p.side)) sides.set(p.side, []);
    sides.get(p.side).push(p);
  }
  const polls = raw.polls.map((p) => ({
    ...p, url: `${base}polls/${p.id}/`, pollster: link(p.pollster), sources: cite(p.sources),
    questions: p.questions.map((q) => ({
      ...q, chart_height: 16 + q.results.length * 36,
      bars: q.results.map((r, i) => ({ ...r, y: 8 + i * 36, width: Math.round(r.percent * 40) / 10 })),
    })),
  }));

  return {
    site, slug, url: base, case: c, parties: [...parties.values()], sides: [...sides],
    rulings: [...rulings.values()], events, years: years(events), kind_filters, party_filters,
    filters: [...kind_filters, ...party_filters], quotes: quoteList,
    key_quotes: quoteList.filter((q) => q.key), other_quotes: quoteList.filter((q) => !q.key),
    polls, sources,
  };
}
