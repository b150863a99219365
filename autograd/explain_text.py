"""Derivations written out: plain text, Markdown or LaTeX, in English or Chinese."""

import re

from .explain_notation import Math, bracket, is_literal, number, partial

PHRASES = {
    "en": {
        "paths": lambda n: f"{n} path" + ("" if n == 1 else "s"),
        "title": "{d} by the chain rule, along {n} from {root} to {wrt}:",
        "path": "path {i}: {chain}",
        "only": "{chain}",
        "legend": "with {rule}",
        "where": "where {defs}",
        "where_list": "where:",
        "sum": "{d} = sum over the paths = {sum}",
        "no_path": "{root} does not depend on {wrt}: {d}",
        "grouped": "{d} by the chain rule: {n} from {root} to {wrt}, more than {limit} to list, "
        "grouped by the node where they first merge:",
        "group": "through {m}: {into} from {root} first merge there; from there, {onward} "
        "to {wrt}: {calc}",
        "rest": "{k} more groups ({n}): {v}",
        "nodes": lambda n: f"{n} node" + ("" if n == 1 else "s"),
        "by_use": "{d} by the chain rule: {wrt} is used by {n}; each use's local derivative "
        "times the gradient arriving there:",
        "use": "{u}: {calc}",
        "more_uses": lambda n: f"{n} more use" + ("" if n == 1 else "s"),
        "use_rest": "{k} ({n}): {v}",
        "use_sum": "{d} = sum over the uses = {sum}",
        "backward": "The backward pass of {root}, one step per node in the order backward() runs:",
        "seed": "{d} = 1.0 to start",
        "step": "step {i}: {definition}, {d} = {g}",
        "push": "{line}, now {acc}",
        "grads": "Gradients: {list}",
    },
    "zh": {
        "paths": lambda n: f"{n} 条路径",
        "title": "偏导数 {d}，由链式法则，沿从 {root} 到 {wrt} 的 {n}：",
        "path": "路径 {i}：{chain}",
        "only": "{chain}",
        "legend": "其中 {rule}",
        "where": "其中 {defs}",
        "where_list": "其中：",
        "sum": "{d} = 各路径之和 = {sum}",
        "no_path": "{root} 不依赖于 {wrt}：{d}",
        "grouped": "偏导数 {d}，由链式法则：从 {root} 到 {wrt} 共 {n}，多于 {limit} 条，"
        "按它们首次汇合的节点分组：",
        "group": "经过 {m}：{into}从 {root} 出发首先在此汇合，{onward}由此通往 {wrt}：{calc}",
        "rest": "其余 {k} 组（{n}）：{v}",
        "nodes": lambda n: f"{n} 个节点",
        "by_use": "偏导数 {d}，由链式法则：{wrt} 被 {n}直接使用；每处使用的局部导数"
        "乘以到达该处的梯度：",
        "use": "{u}：{calc}",
        "more_uses": lambda n: f"其余 {n} 处使用",
        "use_rest": "{k}（{n}）：{v}",
        "use_sum": "{d} = 各处使用之和 = {sum}",
        "backward": "{root} 的反向传播（链式法则），按 backward() 的执行顺序，每个节点一步：",
        "seed": "{d} = 1.0，作为起点",
        "step": "第 {i} 步：{definition}，{d} = {g}",
        "push": "{line}，现为 {acc}",
        "grads": "梯度（偏导数）：{list}",
    },
}
LANGUAGES = frozenset(PHRASES)


def render(derivation, style: str) -> str:
    """The derivation in one style: "text", "markdown" or "latex"."""
    lines = _lines(derivation, PHRASES[derivation.lang])
    return {"text": _text, "markdown": _markdown, "latex": _latex}[style](lines)


# ---- what is said: lines of (indent, [prose str | Math, ...]) ----


def _lines(d, say):
    lines = []

    def add(indent, key, **parts):
        lines.append((indent, _say(say[key], parts)))

    if d.wrt is None:
        _backward_lines(d, add)
    elif d.path_count == 0:
        zero = _join([partial(d.root, d.wrt), Math("0", "0")], " = ")
        add(0, "no_path", root=d.root, wrt=d.wrt, d=zero)
    elif d.groups and d.group_by == "use":
        _use_lines(d, say, add)
    elif d.groups:
        _group_lines(d, say, add)
    else:
        _path_lines(d, say, add)
    defs = [_join([*entry[:-1], _num(entry[-1])], " = ") for entry in d.where]
    defs += [Math("…", "\\ldots")] if d.where_more else []
    if 0 < len(defs) <= 8:
        add(0, "where", defs=_join(defs, ", "))
    elif defs:  # one a line
        add(0, "where_list")
        lines.extend((1, [m]) for m in defs)
    return lines


def _backward_lines(d, add):
    add(0, "backward", root=d.root)
    add(1, "seed", d=partial(d.root, d.root))
    for i, step in enumerate(d.steps, 1):
        shown = (
            [step.node] if step.definition.text == step.node.text else [step.node, step.definition]
        )
        add(1, "step", i=_plain(i), definition=_join([*shown, _num(step.data)], " = "),
            d=partial(d.root, step.node), g=_num(step.grad))  # fmt: skip
        for push in step.pushes:
            add(2, "push", line=_push(d.root, step, push), acc=_num(push.accumulated))
    grads = [_join([partial(d.root, name), _num(g)], " = ") for name, g in d.leaves]
    if grads:
        add(0, "grads", list=_join(grads, ", "))


def _group_lines(d, say, add):
    target = partial(d.root, d.wrt)
    add(0, "grouped", d=target, n=say["paths"](d.path_count), root=d.root, wrt=d.wrt,
        limit=_plain(d.limit))  # fmt: skip
    shown, rest = d.groups[: d.limit], d.groups[d.limit :]
    for group in shown:
        calc = _join([_times([group.into_value, group.onward_value]), _num(group.value)], " = ")
        add(1, "group", m=group.node, into=say["paths"](group.into), root=d.root,
            onward=say["paths"](group.onward), wrt=d.wrt, calc=calc)  # fmt: skip
    terms = [g.value for g in shown]
    if rest:
        terms.append(sum(g.value for g in rest))
        grouped = say["paths"](sum(g.into * g.onward for g in rest))
        add(1, "rest", k=_plain(len(rest)), n=grouped, v=_num(terms[-1]))
    add(0, "sum", d=target, sum=_join([_sum(terms), _num(d.total)], " = "))


def _use_lines(d, say, add):
    target = partial(d.root, d.wrt)
    add(0, "by_use", d=target, wrt=d.wrt, n=say["nodes"](len(d.groups)))
    shown, rest = d.groups[: d.limit], d.groups[d.limit :]
    for use in shown:
        chain = _join([partial(use.node, d.wrt), partial(d.root, use.node)], " · ")
        calc = _join([chain, _times([use.local, use.arriving]), _num(use.value)], " = ")
        add(1, "use", u=use.node, calc=calc)
    terms = [u.value for u in shown]
    if rest:
        terms.append(sum(u.value for u in rest))
        add(1, "use_rest", k=say["more_uses"](len(rest)),
            n=say["paths"](sum(u.paths for u in rest)), v=_num(terms[-1]))  # fmt: skip
    add(0, "use_sum", d=target, sum=_join([_sum(terms), _num(d.total)], " = "))


def _path_lines(d, say, add):
    target = partial(d.root, d.wrt)
    add(0, "title", d=target, n=say["paths"](d.path_count), root=d.root, wrt=d.wrt)
    explained = set()
    for i, path in enumerate(d.paths, 1):
        if d.path_count == 1:
            add(1, "only", chain=_chain(target, path, d.total))
        else:
            add(1, "path", i=_plain(i), chain=_chain(target, path, path.value))
        for factor in path.factors:  # σ'(z) = σ(z)·(1 − σ(z)), once
            if factor.short.text not in explained | {factor.full.text}:
                explained.add(factor.short.text)
                add(2, "legend", rule=_join([factor.short, factor.full], " = "))
    if d.path_count > 1:
        add(0, "sum", d=target, sum=_join([_sum([p.value for p in d.paths]), _num(d.total)], " = "))


def _chain(target, path, value):
    if not path.factors:
        return _join([target, _num(value)], " = ")  # ∂x/∂x
    parts = [target, _join([partial(f.top, f.bottom) for f in path.factors], " · ")]
    if parts[1].text == target.text:  # one factor: ∂y/∂x = ∂y/∂x says nothing
        parts.pop()
    if len(path.factors) > 1:
        parts += [_join([f.short for f in path.factors], " · ", bracket_sums=True)]
        parts += [_times([f.value for f in path.factors], literals=[f.full for f in path.factors])]
    else:
        parts += [path.factors[0].short]
    return _join([*parts, _num(value)], " = ")


def _push(root, step, push):
    """∂L/∂d += ∂L/∂L · f = (1.0)(-2.0) = -2.0"""
    upstream = partial(root, step.node)
    chain = _join([upstream, push.local], " · ", bracket_sums=True)
    numbers = _times([step.grad, push.local_value], literals=[None, push.local])
    rhs = _join([chain, numbers, _num(push.contribution)], " = ")
    return _join([partial(root, push.parent), rhs], " += ")


# ---- small builders of Math ----


def _num(x):
    text = number(x)
    return Math(text, text.replace("inf", "\\infty"))


def _plain(x):
    return Math(str(x), str(x))


def _times(values, literals=None):
    """(2.0)(0.25)(-2.0): a literal factor such as 1 is shown as written."""
    literals = literals or [None] * len(values)
    parts = []
    for value, literal in zip(values, literals):
        shown = literal.text.replace("−", "-") if literal and is_literal(literal) else number(value)
        parts.append(f"({shown})")
    text = "".join(parts)
    return Math(text, text.replace("inf", "\\infty"))


def _sum(values):
    text = " + ".join(
        number(v) if v >= 0 or i == 0 else f"({number(v)})" for i, v in enumerate(values)
    )
    return Math(text, text)


def _join(parts, sep, *, bracket_sums=False):
    if bracket_sums and len(parts) > 1:
        parts = [bracket(p) if p.precedence < 2 else p for p in parts]
    latex_sep = sep.replace("·", "\\cdot")
    return Math(sep.join(p.text for p in parts), latex_sep.join(p.latex for p in parts))


def _say(template, parts):
    """The template split into prose and the Math that fills its {slots}."""
    pieces = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        if i % 2:
            pieces.append(parts[piece])
        elif piece:
            pieces.append(piece)
    return pieces


# ---- how it is shown ----


def _text(lines):
    return "\n".join("  " * indent + "".join(_as_text(p) for p in parts) for indent, parts in lines)


def _as_text(piece):
    return piece if isinstance(piece, str) else piece.text


def _markdown(lines):
    out = []
    for indent, parts in lines:
        body = "".join(p if isinstance(p, str) else f"`{p.text}`" for p in parts)
        out.append(
            ("  " * (indent - 1) + "- " + body) if indent else ("\n" + body if out else body)
        )
    return "\n".join(out)


def _latex(lines):
    rows = []
    for indent, parts in lines:
        body = "".join(f"\\text{{{_escape(p)}}}" if isinstance(p, str) else p.latex for p in parts)
        rows.append("\\quad " * indent + body)
    return "\\begin{array}{l}\n" + " \\\\\n".join(rows) + "\n\\end{array}"


def _escape(prose):
    return re.sub(r"([#$%&_{}])", r"\\\1", prose)
