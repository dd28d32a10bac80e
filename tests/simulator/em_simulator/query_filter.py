# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
'''Filter expressions of the Enterprise Manager query service (``GET /api/query?...&filter=<expr>``).

Grammar [D: query_comparison, query_and_or, query_grouping, optional_query_parameters]::

    expr       := and_expr { ',' and_expr }      ; ',' is OR
    and_expr   := term { ';' term }              ; ';' is AND
    term       := '(' expr ')' | comparison
    comparison := field op value
    op         := '==' | '!=' | '<' | '>' | '<=' | '>='
    value      := bare word | '"' text, with '""' for each '"', '"'

Reading rules, with the choices made where the reference is silent:

* Precedence [I]: ``;`` (AND) binds tighter than ``,`` (OR), as in FIQL/RSQL, which this grammar
  resembles: ``a==1;b==2,c==3`` is ``(a==1;b==2),c==3``. The reference advises parenthesising.
* Spaces outside quotes are ignored [D: optional_query_parameters], also inside a bare word:
  ``Name==Daily VM Backup`` compares with ``DailyVMBackup``. Operators must be written without a
  space inside them (``= =`` is an error).
* A bare word is any run of characters other than ``= ! < > ; , ( ) "`` and spaces. The reference
  documents ``[A-Za-z_0-9]``, but clients send unquoted dates and UIDs with ``-``, ``:`` and ``.``
  [O: cen].
* Quotes [D: optional_query_parameters; I: reading of its example]: a value that is one complete
  quoted string is that string, ``""`` inside it standing for ``"``: ``"Daily VM Backup"``, and
  ``"""Backup"""`` for the name ``"Backup"``. Otherwise ``""`` in a bare word stands for ``"``: the
  reference's own example ``Name==""Backup""`` applies the doubling rule without outer quotes, so it
  also means the name ``"Backup"``. A lone ``"`` inside a bare word is an error. ``""`` alone is the
  empty value.
* Field names are case-insensitive [D: query_and_or, sortasc_sortdesc].
* Strings compare case-insensitively for every operator [I]. Enum values are accepted in any case
  [D: query_and_or] and compare by declaration index, e.g. ``Success < Warning < Failed``
  [D: query_comparison]. Booleans are ``true``/``false`` in any case [D: query_grouping].
  Integers compare as integers. Dates are ISO 8601 with or without ``Z`` or an offset; without a
  zone they are UTC [D: get_query_backupjobsession; O: cen sends unquoted dates without ``Z``].
* A record whose value is ``None`` never matches ``==`` or an ordering operator and always matches
  ``!=`` [I]. The empty value ``""`` stands for "nothing": ``Field==""`` matches ``None`` (and the
  empty string on string fields), ``Field!=""`` the rest; other operators need a non-empty value
  except on string fields [I].
* An enum value on a record that the field type does not declare behaves like ``None`` [I].

``compile_filter`` parses once, checks the fields and converts every literal once; the returned
``Filter.matches`` only calls small closures, so evaluating 100,000 records is cheap.
``parse_filter`` gives an untyped ``Filter``: each literal is converted on first use according
to the Python type of the record value (bool, int, datetime, else case-insensitive string).
Character offsets in error messages are 0-based positions in the (percent-decoded) filter text.
'''

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, ClassVar, NamedTuple

__all__ = ['FieldType', 'Filter', 'FilterSyntaxError', 'UnknownFieldError', 'compile_filter', 'find_field', 'parse_filter', 'sort_key']

_MAX_NESTING = 64
_OPERATORS = {
    '==': operator.eq, '!=': operator.ne, '<': operator.lt, '>': operator.gt, '<=': operator.le, '>=': operator.ge,
}
_SPECIAL = frozenset('=!<>;,()"')
_INT_RE = re.compile(r'[+-]?[0-9]+')
_DATETIME_RE = re.compile(
    r'(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})'
    r'(?:[Tt ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,](?P<f>[0-9]+))?)?)?'
    r'(?P<tz>[Zz]|[+-][0-9]{2}:?[0-9]{2})?'
)


class FilterSyntaxError(ValueError):
    """The filter text is malformed, or a literal does not fit its field's type."""

    def __init__(self, reason: str, offset: int):
        self.reason = reason
        self.offset = offset
        super().__init__(f'invalid filter at offset {offset}: {reason}')


class UnknownFieldError(ValueError):
    """The filter or sort names a field that the query type does not have."""

    def __init__(self, name: str, known: list[str], offset: int | None = None):
        self.name = name
        self.offset = offset
        where = '' if offset is None else f' at offset {offset}'
        super().__init__(f"unknown field '{name}'{where}; fields of this type: {', '.join(sorted(known, key=str.lower))}")


@dataclass(frozen=True)
class FieldType:
    """Type of a filter/sort field: ``FieldType.STRING``, ``BOOL``, ``INT``, ``DATETIME`` or ``FieldType.ENUM(*values)``."""

    kind: str
    values: tuple[str, ...] = ()
    index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    STRING: ClassVar[FieldType]
    BOOL: ClassVar[FieldType]
    INT: ClassVar[FieldType]
    DATETIME: ClassVar[FieldType]

    def __post_init__(self):
        for position, value in enumerate(self.values):
            if value.casefold() in self.index:
                raise ValueError(f'enum value {value!r} is declared twice')
            self.index[value.casefold()] = position

    @staticmethod
    def ENUM(*values: str) -> FieldType:
        """An enum whose values order by their position here (first is smallest)."""
        if not values:
            raise ValueError('an enum field type needs at least one value')
        return FieldType('enum', tuple(values))


FieldType.STRING = FieldType('string')
FieldType.BOOL = FieldType('bool')
FieldType.INT = FieldType('int')
FieldType.DATETIME = FieldType('datetime')


@dataclass(frozen=True)
class Comparison:
    """``field op value`` as written; ``value`` is unquoted and unescaped."""

    field: str
    op: str
    value: str
    field_offset: int
    value_offset: int


@dataclass(frozen=True)
class BoolOp:
    """``;`` (AND) or ``,`` (OR) over two or more sub-expressions."""

    op: str
    children: tuple


class _Token(NamedTuple):
    kind: str  # 'word', 'op', '(', ')', ';', ',' or 'end'
    text: str
    offset: int
    quoted: bool = False


# ---------------------------------------------------------------- tokenizer

def _tokenize(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
        elif char in '();,':
            tokens.append(_Token(char, char, position))
            position += 1
        elif char in '=!<>':
            symbol = _read_operator(text, position)
            tokens.append(_Token('op', symbol, position))
            position += len(symbol)
        else:
            word, quoted, end = _read_word(text, position)
            tokens.append(_Token('word', word, position, quoted))
            position = end
    tokens.append(_Token('end', '', len(text)))
    return tokens


def _read_operator(text: str, start: int) -> str:
    pair = text[start:start + 2]
    if pair in _OPERATORS:
        return pair
    if text[start] in '<>':
        return text[start]
    if text[start] == '=':
        raise FilterSyntaxError("a single '=' is not an operator; compare with '=='", start)
    raise FilterSyntaxError("'!' must be followed by '=' ('!=')", start)


def _read_word(text: str, start: int) -> tuple[str, bool, int]:
    """Read a field name or value at ``start``; returns (text, was_quoted, end offset)."""
    if text[start] != '"':
        word, end = _read_bare(text, start)
        return word, False, end
    value, end = _read_quoted(text, start)
    following = _skip_spaces(text, end)
    if following == len(text) or (text[following] in _SPECIAL and text[following] != '"'):
        return value, True, end
    try:
        word, bare_end = _read_bare(text, start)
    except FilterSyntaxError:
        raise FilterSyntaxError(
            f'unexpected text after the quoted value that starts at offset {start}; quote the whole value', following) from None
    return word, False, bare_end


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    parts = []
    position = start + 1
    while True:
        quote = text.find('"', position)
        if quote < 0:
            raise FilterSyntaxError("unterminated quoted value: no closing '\"'", start)
        if text.startswith('""', quote):
            parts.append(text[position:quote + 1])
            position = quote + 2
            continue
        parts.append(text[position:quote])
        return ''.join(parts), quote + 1


def _read_bare(text: str, start: int) -> tuple[str, int]:
    parts = []
    position = start
    while position < len(text):
        char = text[position]
        if char == '"':
            if not text.startswith('""', position):
                raise FilterSyntaxError("lone '\"' in a value; quote the whole value and write each '\"' inside it as '\"\"'", position)
            parts.append('"')
            position += 2
            continue
        if char in _SPECIAL:
            break
        if not char.isspace():
            parts.append(char)
        position += 1
    return ''.join(parts), position


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


# ---------------------------------------------------------------- parser

def _describe(token: _Token) -> str:
    if token.kind == 'end':
        return 'the end of the filter'
    if token.kind == 'word':
        return f'the value {token.text!r}'
    return f"'{token.text}'"


class _Parser:
    """Recursive descent over the token list; builds ``Comparison``/``BoolOp`` trees."""

    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self):
        if self.peek().kind == 'end':
            raise FilterSyntaxError('the filter is empty', 0)
        node = self.expression()
        token = self.peek()
        if token.kind == ')':
            raise FilterSyntaxError("unbalanced parentheses: this ')' has no matching '('", token.offset)
        if token.kind != 'end':
            raise FilterSyntaxError(f"expected ';', ',' or the end of the filter, found {_describe(token)}", token.offset)
        return node

    def expression(self):
        return self.chain(',', self.conjunction)

    def conjunction(self):
        return self.chain(';', self.term)

    def chain(self, separator: str, parse_operand):
        children = [parse_operand()]
        while self.peek().kind == separator:
            self.take()
            children.append(parse_operand())
        if len(children) == 1:
            return children[0]
        flat = []  # (a;b);c is a;b;c
        for child in children:
            flat.extend(child.children if isinstance(child, BoolOp) and child.op == separator else (child,))
        return BoolOp(separator, tuple(flat))

    def term(self):
        token = self.peek()
        if token.kind == 'word':
            return self.comparison()
        if token.kind != '(':
            raise self.missing_term(token)
        self.take()
        self.depth += 1
        if self.depth > _MAX_NESTING:
            raise FilterSyntaxError(f'parentheses nested deeper than {_MAX_NESTING} levels', token.offset)
        node = self.expression()
        closing = self.peek()
        if closing.kind != ')':
            if closing.kind == 'end':
                raise FilterSyntaxError("unbalanced parentheses: this '(' is never closed", token.offset)
            raise FilterSyntaxError(f"expected ';', ',' or ')' in the group opened at offset {token.offset}, found {_describe(closing)}", closing.offset)
        self.take()
        self.depth -= 1
        return node

    def missing_term(self, token: _Token) -> FilterSyntaxError:
        """Explain why no comparison or group starts at ``token``."""
        previous = self.tokens[self.index - 1] if self.index else None
        after_separator = previous is not None and previous.kind in (';', ',')
        if token.kind == 'op':
            return FilterSyntaxError(f"missing field name before '{token.text}'", token.offset)
        if token.kind in (';', ','):
            where = f"between '{previous.text}' and '{token.text}'" if after_separator else f"before '{token.text}'"
            return FilterSyntaxError(f'empty term {where}: expected a comparison', token.offset)
        if after_separator:
            return FilterSyntaxError(f"dangling '{previous.text}': a comparison must follow it, found {_describe(token)}", previous.offset)
        if previous is None:
            return FilterSyntaxError("unbalanced parentheses: this ')' has no matching '('", token.offset)
        if token.kind == ')':
            return FilterSyntaxError('empty parentheses: expected a comparison inside', previous.offset)
        return FilterSyntaxError("unbalanced parentheses: this '(' is never closed", previous.offset)

    def comparison(self) -> Comparison:
        name = self.take()
        if name.quoted:
            raise FilterSyntaxError(f'expected a field name, found the quoted value {name.text!r}; field names are not quoted', name.offset)
        symbol = self.take()
        if symbol.kind != 'op':
            raise FilterSyntaxError(f"expected an operator (==, !=, <, >, <=, >=) after the field '{name.text}', found {_describe(symbol)}", symbol.offset)
        value = self.take()
        if value.kind != 'word':
            raise FilterSyntaxError(f"missing value after '{name.text}{symbol.text}', found {_describe(value)}", value.offset)
        following = self.peek()
        if following.kind not in (';', ',', ')', 'end'):
            raise FilterSyntaxError(
                f"expected ';', ',' or ')' after the comparison '{name.text}{symbol.text}{value.text}', found {_describe(following)}"
                ' (quote values that contain special characters)', following.offset)
        return Comparison(name.text, symbol.text, value.text, name.offset, value.offset)


# ---------------------------------------------------------------- values

def _fold(value) -> str:
    return value.casefold() if isinstance(value, str) else str(value).casefold()


def _parse_bool(text: str) -> bool:
    folded = text.casefold()
    if folded not in ('true', 'false'):
        raise ValueError('expected true or false')
    return folded == 'true'


def _parse_int(text: str) -> int:
    if not _INT_RE.fullmatch(text):
        raise ValueError('expected an integer')
    return int(text)


def _parse_datetime(text: str) -> datetime:
    """ISO 8601 date or date-time, ``Z``/offset optional (UTC when absent), fractions beyond microseconds cut."""
    match = _DATETIME_RE.fullmatch(text)
    if not match:
        raise ValueError('expected an ISO 8601 date-time such as 2025-08-15T06:00:00Z')
    parts = match.groupdict()
    try:
        return datetime(int(parts['y']), int(parts['mo']), int(parts['d']), int(parts['h'] or 0), int(parts['mi'] or 0),
                        int(parts['s'] or 0), int((parts['f'] or '0')[:6].ljust(6, '0')), tzinfo=_zone(parts['tz']))
    except ValueError as error:
        raise ValueError(f'not a valid date-time ({error})') from None


def _zone(designator: str | None) -> timezone:
    if not designator or designator in ('Z', 'z'):
        return timezone.utc
    sign = -1 if designator[0] == '-' else 1
    digits = designator[1:].replace(':', '')
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _as_utc(value) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    return _parse_datetime(str(value))


def _as_bool(value) -> bool:
    return value if isinstance(value, bool) else _parse_bool(str(value))


def _as_int(value) -> int:
    return value if isinstance(value, int) else _parse_int(str(value))


_LITERAL_PARSERS = {'string': str.casefold, 'bool': _parse_bool, 'int': _parse_int, 'datetime': _parse_datetime}
_RECORD_NORMALISERS = {'string': _fold, 'bool': _as_bool, 'int': _as_int, 'datetime': _as_utc}


def _enum_index(field_type: FieldType, value):
    return field_type.index.get(_fold(value))


def _python_type_to_field_type(value) -> FieldType:
    if isinstance(value, bool):
        return FieldType.BOOL
    if isinstance(value, int):
        return FieldType.INT
    if isinstance(value, datetime):
        return FieldType.DATETIME
    return FieldType.STRING


# ---------------------------------------------------------------- predicates

def _value_test(node: Comparison, field_type: FieldType) -> Callable[[object], bool]:
    """Test for a record value that is not None; the literal is converted here, once."""
    compare = _OPERATORS[node.op]
    if node.value == '' and field_type.kind != 'string':
        if node.op not in ('==', '!='):
            raise FilterSyntaxError(f"the empty value can only be compared with '==' or '!=' on the field '{node.field}'", node.value_offset)
        return lambda value: node.op == '!='
    try:
        literal = _literal(field_type, node.value)
    except ValueError as error:
        raise FilterSyntaxError(f"invalid value {node.value!r} for the {field_type.kind} field '{node.field}': {error}", node.value_offset) from None
    if field_type.kind == 'enum':
        when_unknown = node.op == '!='

        def enum_test(value):
            position = field_type.index.get(_fold(value))
            return when_unknown if position is None else compare(position, literal)
        return enum_test
    normalise = _RECORD_NORMALISERS[field_type.kind]
    return lambda value: compare(normalise(value), literal)


def _literal(field_type: FieldType, text: str):
    if field_type.kind != 'enum':
        return _LITERAL_PARSERS[field_type.kind](text)
    position = _enum_index(field_type, text)
    if position is None:
        raise ValueError(f"expected one of {', '.join(field_type.values)}")
    return position


def _matches_missing(node: Comparison) -> bool:
    """Result of the comparison when the record has no value (None)."""
    if node.op == '==':
        return node.value == ''
    return node.op == '!=' and node.value != ''


def _field_predicate(name: str, test, when_missing: bool):
    def predicate(get_value):
        value = get_value(name)
        if value is None:
            return when_missing
        return test(value)
    return predicate


def _typed_predicate(node: Comparison, field_type: FieldType):
    return _field_predicate(node.field.lower(), _value_test(node, field_type), _matches_missing(node))


def _untyped_predicate(node: Comparison):
    tests = {}

    def test(value):
        kind = type(value)
        if kind not in tests:
            tests[kind] = _value_test(node, _python_type_to_field_type(value))
        return tests[kind](value)
    return _field_predicate(node.field.lower(), test, _matches_missing(node))


def _build(node, bind_comparison):
    if isinstance(node, Comparison):
        return bind_comparison(node)
    operands = tuple(_build(child, bind_comparison) for child in node.children)
    if node.op == ';':
        def conjunction(get_value):
            for operand in operands:
                if not operand(get_value):
                    return False
            return True
        return conjunction

    def disjunction(get_value):
        for operand in operands:
            if operand(get_value):
                return True
        return False
    return disjunction


def _comparisons(node):
    if isinstance(node, Comparison):
        yield node
    else:
        for child in node.children:
            yield from _comparisons(child)


def _render(node, nested: bool = False) -> str:
    if isinstance(node, Comparison):
        return f'{node.field}{node.op}"' + node.value.replace('"', '""') + '"'
    text = node.op.join(_render(child, True) for child in node.children)
    return f'({text})' if nested else text


# ---------------------------------------------------------------- public API

class Filter:
    """A parsed filter; ``matches(get_value)`` evaluates it against one record."""

    __slots__ = ('text', 'root', '_predicate')

    def __init__(self, text: str, root, predicate):
        self.text = text
        self.root = root
        self._predicate = predicate

    def fields(self) -> set[str]:
        """Lower-cased names of the fields the expression uses."""
        return {node.field.lower() for node in _comparisons(self.root)}

    def matches(self, get_value) -> bool:
        """``get_value(lower_case_field_name)`` returns the record's value or None."""
        return self._predicate(get_value)

    def __str__(self) -> str:
        """Canonical form: every value quoted, every nested group in parentheses."""
        return _render(self.root)

    def __repr__(self) -> str:
        return f'Filter({str(self)!r})'


def parse_filter(text: str) -> Filter:
    """Parse ``text`` (already percent-decoded); literals are typed on first use from the record values."""
    root = _Parser(text).parse()
    return Filter(text, root, _build(root, _untyped_predicate))


def find_field(field_types: dict[str, FieldType], name: str, offset: int | None = None) -> tuple[str, FieldType]:
    """Case-insensitive lookup of a filter/sort field; returns (declared name, type) or raises UnknownFieldError."""
    wanted = name.lower()
    for declared, field_type in field_types.items():
        if declared.lower() == wanted:
            return declared, field_type
    raise UnknownFieldError(name, list(field_types), offset)


def compile_filter(text: str, field_types: dict[str, FieldType]) -> Filter:
    """Parse ``text``, check every field against ``field_types`` and convert every literal to its field's type."""
    root = _Parser(text).parse()
    types_by_name = {name.lower(): field_type for name, field_type in field_types.items()}

    def bind(node: Comparison):
        field_type = types_by_name.get(node.field.lower())
        if field_type is None:
            raise UnknownFieldError(node.field, list(field_types), node.field_offset)
        return _typed_predicate(node, field_type)
    return Filter(text, root, _build(root, bind))


def sort_key(field_type: FieldType, value):
    """Key for ``sortAsc``/``sortDesc``: None first, enums by declaration index, strings case-insensitively [I]."""
    if value is None:
        return (0,)
    if field_type.kind == 'string':
        return (1, _fold(value), str(value))
    if field_type.kind == 'enum':
        position = _enum_index(field_type, value)
        return (1, len(field_type.values) if position is None else position, _fold(value))
    return (1, _RECORD_NORMALISERS[field_type.kind](value))
