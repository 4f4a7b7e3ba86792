"""Which fields a page of a template may read, by the key of its context they are read through.

A page reaches a changed view only along fields its template reads. Naming those fields per
template is not enough: an event page reads `event.quotes` and its case's `case.url`, never
`case.parties[…].quotes`, yet both names occur in it. So each attribute read is charged to
the context keys its object comes from: `case.case.title` to `case`; `q.text` in
`{% for q in event.quotes %}` to `event`, the loop variable being bound to what it iterates;
a macro's parameter to whatever its callers pass, in any template the page uses.

Names are bound across all the template files a page uses at once, whatever their scope: a
name bound in two places stands for both, which may charge a field to a key too many, never
to one too few. A construct this does not follow (a `{% call %}` block, whose `caller`
passes values back) charges every field read to every key (`ANY_KEY`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from jinja2 import Environment, nodes

ANY_KEY = "*"
"""The key whose fields are read through every key of the context."""


@dataclass
class _Facts:
    """What one template file binds, defines and reads."""

    bindings: dict[str, set[str]] = field(default_factory=dict)
    """The names each name may stand for: those in the expressions bound to it."""
    macros: dict[str, list[str]] = field(default_factory=dict)
    """The parameters of each macro defined, by name."""
    calls: list[tuple[str, list[set[str]], dict[str, set[str]], set[str]]] = field(
        default_factory=list
    )
    """Each call of a name: the names in each positional and keyword argument, and in the
    `*args`/`**kwargs` given."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Macros imported under another name: alias to the macro's own name."""
    reads: list[tuple[str, set[str]]] = field(default_factory=list)
    """Each attribute read, with the names in the expression it is read from."""
    opaque: bool = False
    """It has a construct whose bindings are not followed."""


def file_facts(environment: Environment, name: str) -> _Facts:
    """Parse one template file for what it binds, defines and reads."""
    source, _, _ = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
    facts = _Facts()
    for node in environment.parse(source).find_all(nodes.Node):
        _note(node, facts)
    return facts


def field_reads(
    facts: Iterable[_Facts], macro_names: Mapping[str, str]
) -> dict[str, frozenset[str]]:
    """The fields read through each context key, over the files of one page (`ANY_KEY`
    for those read through every key). `macro_names` are the globals that call a macro,
    each with the macro's name."""
    files = list(facts)
    bindings: dict[str, set[str]] = {}
    params: dict[str, list[str]] = {}
    aliases = dict(macro_names)
    for one in files:
        for name, bound in one.bindings.items():
            bindings.setdefault(name, set()).update(bound)
        for name, parameters in one.macros.items():
            known = params.setdefault(name, [])
            known.extend(p for p in parameters if p not in known)
        aliases.update(one.aliases)
    for one in files:
        for called, positional, keywords, rest in one.calls:
            wanted = params.get(aliases.get(called, called))
            if wanted is None:
                continue
            for index, names in enumerate(positional):
                target = wanted[index] if index < len(wanted) else "varargs"
                bindings.setdefault(target, set()).update(names)
            for keyword, names in keywords.items():
                target = keyword if keyword in wanted else "kwargs"
                bindings.setdefault(target, set()).update(names)
            for target in wanted:
                bindings.setdefault(target, set()).update(rest)
    roots = _Roots(bindings)
    reads: dict[str, set[str]] = {}
    opaque = any(one.opaque for one in files)
    for one in files:
        for attribute, names in one.reads:
            keys = {ANY_KEY} if opaque else roots.of_names(names)
            for key in keys:
                reads.setdefault(key, set()).add(attribute)
    return {key: frozenset(found) for key, found in reads.items()}


class _Roots:
    """The names a name may stand for, bound name by bound name: a graph's reach."""

    def __init__(self, bindings: dict[str, set[str]]) -> None:
        self.bindings = bindings
        self.found: dict[str, frozenset[str]] = {}

    def of_names(self, names: Iterable[str]) -> set[str]:
        return set().union(*(self.of(name) for name in names))

    def of(self, name: str) -> frozenset[str]:
        if name not in self.found:
            seen, waiting = {name}, [name]
            while waiting:
                for bound in self.bindings.get(waiting.pop(), ()):
                    if bound not in seen:
                        seen.add(bound)
                        waiting.append(bound)
            self.found[name] = frozenset(seen)
        return self.found[name]


def _names(node: nodes.Node | None) -> set[str]:
    """The names an expression is made of: what its value may come from."""
    if node is None:
        return set()
    found = {n.name for n in node.find_all(nodes.Name) if n.ctx == "load"}
    if isinstance(node, nodes.Name) and node.ctx == "load":
        found.add(node.name)
    return found


def _targets(node: nodes.Node) -> Iterator[str]:
    if isinstance(node, (nodes.Name, nodes.NSRef)):
        yield node.name
    elif isinstance(node, nodes.Tuple):
        for item in node.items:
            yield from _targets(item)


def _bind(facts: _Facts, target: nodes.Node, value: nodes.Node | None) -> None:
    names = _names(value)
    for name in _targets(target):
        facts.bindings.setdefault(name, set()).update(names)


def _attributes(value: object) -> Iterator[str]:
    """The fields a string names, as `map(attribute="speaker.name")` takes them."""
    if isinstance(value, str):
        yield from value.split(".")


def _note(node: nodes.Node, facts: _Facts) -> None:
    if isinstance(node, nodes.For):
        _bind(facts, node.target, node.iter)
        facts.bindings.setdefault("loop", set()).update(_names(node.iter))
    elif isinstance(node, nodes.Assign):
        _bind(facts, node.target, node.node)
    elif isinstance(node, nodes.With):
        for target, value in zip(node.targets, node.values, strict=True):
            _bind(facts, target, value)
    elif isinstance(node, nodes.Macro):
        facts.macros[node.name] = [arg.name for arg in node.args]
        for arg, default in zip(reversed(node.args), reversed(node.defaults), strict=False):
            _bind(facts, arg, default)
    elif isinstance(node, nodes.CallBlock):
        facts.opaque = True
    elif isinstance(node, nodes.FromImport):
        for imported in node.names:
            if isinstance(imported, tuple):
                facts.aliases[imported[1]] = imported[0]
    elif isinstance(node, nodes.Call):
        called = node.node
        name = (
            called.name
            if isinstance(called, nodes.Name)
            else called.attr
            if isinstance(called, nodes.Getattr)
            else None
        )
        if name is not None:
            facts.calls.append(
                (
                    name,
                    [_names(arg) for arg in node.args],
                    {kw.key: _names(kw.value) for kw in node.kwargs},
                    _names(node.dyn_args) | _names(node.dyn_kwargs),
                )
            )
    if isinstance(node, nodes.Getattr):
        facts.reads.append((node.attr, _names(node.node)))
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        facts.reads.extend((a, _names(node.node)) for a in _attributes(node.arg.value))
    elif isinstance(node, (nodes.Filter, nodes.Test)):
        arguments = [*node.args, *(kw.value for kw in node.kwargs)]
        constants = [a for a in arguments if isinstance(a, nodes.Const)]
        names = _names(node.node)
        for constant in constants:
            facts.reads.extend((a, names) for a in _attributes(constant.value))
