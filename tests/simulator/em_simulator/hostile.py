# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile-server faults: answers no EM gives, which a client must refuse or bound (everything EM returns is untrusted).

Each mode is a key of the ``/_sim/faults`` settings whose value is an object of parameters (``{}``
for the defaults), with an optional ``rate`` (share of matching requests, default 1). They honour
``methods``, ``path_regex``, ``count`` and ``seed`` like the other faults and apply to answers the
simulator produced (not to injected errors or resets):

``link_rewrite`` {template, rels?, scope?}
    every ``Href`` (``scope``: ``all`` default, ``links`` = ``Links`` entries only, ``body`` = the
    objects' own ``Href`` only; ``rels``: only links with these ``Rel`` values) becomes ``template``
    filled with the original URL's parts ``{scheme} {host} {port} {path} {query} {fragment} {netloc}
    {url}``; XML and JSON answers.
``redirect`` {location, status?}
    a ``3xx`` (default 302) with ``Location`` = ``location`` filled with the URL parts of the request
    and what the request itself carried: ``{token}`` (its ``X-RestSvcSessionId``, header or cookie),
    ``{authorization}`` (its ``Authorization`` header), ``{username}``/``{password}`` (of its Basic
    credentials); absent values are empty, secret values percent-encoded. With ``phase: before`` the
    request is not carried out, with ``after`` it is.
``nested_json`` {depth?}
    a JSON answer becomes ``[[[…]]]`` nested ``depth`` (default 100000) deep.
``mangle`` {mode, value?}
    the shape of a JSON answer changes, the JSON stays valid: ``items_not_objects`` (items of lists
    of objects, except ``Links``, become ``"item-0", 1, "item-2", …`` or ``value``),
    ``name_wrong_type`` / ``uid_wrong_type`` (every ``Name`` / ``UID`` becomes ``value``, default
    null), ``jobinfo_not_object`` (``JobInfo`` becomes ``value``, default ``"BackupJobInfo"``),
    ``links_not_list`` (every ``Links`` list becomes ``value``, default ``{"Link": <the list>}``).
``drip`` {chunk_bytes?, interval_ms?}
    the body goes out ``chunk_bytes`` (default 16) at a time with ``interval_ms`` (default 100)
    between chunks: no read waits long, the whole body takes long.
``pad_body`` {bytes, where?}
    a JSON answer shorter than ``bytes`` is made exactly that long and stays valid: trailing
    whitespace (``where: whitespace``, default) or a ``"Padding"`` string member of the top object
    (``where: key``).
``endless_pages`` {pages_count?}
    query answers always carry a ``Next`` link to the following page and ``PagesCount`` =
    ``pages_count`` (default 1000000); pages past the real last one repeat its items (query.py).

XML answers are left alone by ``nested_json``, ``mangle`` and ``pad_body``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from html import unescape
from urllib.parse import quote, urlsplit

from .http import Response
from .render import BOM, escape_attr

MODES = ('link_rewrite', 'redirect', 'nested_json', 'mangle', 'drip', 'pad_body', 'endless_pages')
MANGLE_MODES = ('items_not_objects', 'name_wrong_type', 'uid_wrong_type', 'jobinfo_not_object', 'links_not_list')
URL_PARTS = ('scheme', 'host', 'port', 'path', 'query', 'fragment', 'netloc', 'url')
REQUEST_SECRETS = ('token', 'authorization', 'username', 'password')
_MAX_DEPTH = 10_000_000
_MAX_PAD = 1 << 31
_UNSET = object()


# ------------------------------------------------------------------ settings

def validate(settings: dict) -> dict:
    """The hostile modes of ``settings``, checked and with their defaults; ValueError names what is wrong."""
    clean = {}
    for mode in MODES:
        if mode not in settings:
            continue
        params = settings[mode]
        if not isinstance(params, dict):
            raise ValueError(f'{mode} takes an object of parameters ({{}} for the defaults)')
        clean[mode] = dict(_CHECKS[mode](dict(params)), rate=_rate(mode, params))
    return clean


def _rate(mode, params):
    rate = params.get('rate', 1)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValueError(f'{mode}.rate must be a number between 0 and 1')
    return float(rate)


def _known(mode, params, names):
    unknown = sorted(set(params) - set(names) - {'rate'})
    if unknown:
        raise ValueError(f"unknown {mode} parameter(s) {', '.join(unknown)}; known: {', '.join(names + ('rate',))}")


def _whole(mode, params, name, default, low, high):
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f'{mode}.{name} must be a whole number from {low} to {high}')
    return value


def _template(mode, params, name, placeholders):
    text = params.get(name)
    if not isinstance(text, str) or not text:
        raise ValueError(f'{mode}.{name} is required: a URL template such as "https://evil.example{{path}}"')
    try:
        text.format_map({key: 'x' for key in placeholders})
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(f'{mode}.{name} is not a valid template ({error!s}); placeholders: '
                         + ', '.join('{' + key + '}' for key in placeholders)) from None
    return text


def _check_link_rewrite(params):
    _known('link_rewrite', params, ('template', 'rels', 'scope'))
    rels = params.get('rels')
    if rels is not None and (not isinstance(rels, list) or not all(isinstance(rel, str) for rel in rels)):
        raise ValueError('link_rewrite.rels must be a list of link relations such as ["Next", "Delete"]')
    scope = params.get('scope', 'all')
    if scope not in ('all', 'links', 'body'):
        raise ValueError('link_rewrite.scope must be all, links or body')
    return {'template': _template('link_rewrite', params, 'template', URL_PARTS),
            'rels': [rel.lower() for rel in rels] if rels is not None else None, 'scope': scope}


def _check_redirect(params):
    _known('redirect', params, ('location', 'status'))
    location = _template('redirect', params, 'location', URL_PARTS + REQUEST_SECRETS)
    if any(ord(char) < 32 or ord(char) == 127 for char in location):
        raise ValueError('redirect.location must not contain control characters')
    return {'location': location, 'status': _whole('redirect', params, 'status', 302, 300, 399)}


def _check_nested_json(params):
    _known('nested_json', params, ('depth',))
    return {'depth': _whole('nested_json', params, 'depth', 100000, 1, _MAX_DEPTH)}


def _check_mangle(params):
    _known('mangle', params, ('mode', 'value'))
    if params.get('mode') not in MANGLE_MODES:
        raise ValueError(f"mangle.mode must be one of {', '.join(MANGLE_MODES)}")
    clean = {'mode': params['mode']}
    if 'value' in params:
        clean['value'] = params['value']
    return clean


def _check_drip(params):
    _known('drip', params, ('chunk_bytes', 'interval_ms'))
    interval = params.get('interval_ms', 100)
    if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not 0 <= interval <= 60000:
        raise ValueError('drip.interval_ms must be a number from 0 to 60000')
    return {'chunk_bytes': _whole('drip', params, 'chunk_bytes', 16, 1, 1 << 20), 'interval_ms': float(interval)}


def _check_pad_body(params):
    _known('pad_body', params, ('bytes', 'where'))
    if 'bytes' not in params:
        raise ValueError('pad_body.bytes is required: the length the JSON answer is padded to')
    where = params.get('where', 'whitespace')
    if where not in ('whitespace', 'key'):
        raise ValueError('pad_body.where must be whitespace or key')
    return {'bytes': _whole('pad_body', params, 'bytes', None, 1, _MAX_PAD), 'where': where}


def _check_endless_pages(params):
    _known('endless_pages', params, ('pages_count',))
    return {'pages_count': _whole('endless_pages', params, 'pages_count', 1000000, 2, 1 << 31)}


_CHECKS = {'link_rewrite': _check_link_rewrite, 'redirect': _check_redirect, 'nested_json': _check_nested_json,
           'mangle': _check_mangle, 'drip': _check_drip, 'pad_body': _check_pad_body, 'endless_pages': _check_endless_pages}


# ------------------------------------------------------------------ URL parts and the request's own secrets

def url_parts(url: str) -> dict:
    parts = urlsplit(url)
    port = parts.port if parts.port is not None else {'https': 443, 'http': 80}.get(parts.scheme, '')
    host = parts.hostname or ''
    return {'scheme': parts.scheme, 'host': f'[{host}]' if ':' in host else host, 'port': port, 'path': parts.path,
            'query': parts.query, 'fragment': parts.fragment, 'netloc': parts.netloc, 'url': url}


def request_values(request, token_header: str, cookie_token) -> dict:
    """URL parts of the request and the secrets it carried itself, percent-encoded; nothing is invented."""
    target = quote(request.path, safe="/:@!$&'()*+,;=-._~") + (f'?{request.raw_query}' if request.raw_query else '')
    host = request.header('Host') or f'{request.host}'
    values = url_parts(f'{request.scheme}://{host}{target}')
    token = cookie_token(request.header('Cookie')) or request.header(token_header)
    authorization = request.header('Authorization')
    username = password = ''
    scheme, _sep, encoded = authorization.strip().partition(' ')
    if scheme.lower() == 'basic' and encoded:
        try:
            username, _colon, password = base64.b64decode(encoded.strip(), validate=True).decode('utf-8').partition(':')
        except (binascii.Error, UnicodeDecodeError):
            pass
    secrets = {'token': token or '', 'authorization': authorization, 'username': username, 'password': password}
    values.update({key: quote(value, safe='') for key, value in secrets.items()})
    return values


def redirect_response(request, params, token_header, cookie_token) -> Response:
    location = params['location'].format_map(request_values(request, token_header, cookie_token))
    return Response(params['status'], b'', [('Location', location)])


# ------------------------------------------------------------------ answer bodies

def transform(response, modes: dict) -> None:
    """Apply the body modes to ``response`` (in place), in the order link_rewrite, mangle, nested_json, pad_body."""
    if not response.body:
        return
    media = _media(response)
    if media is None:
        return
    body = response.body
    bom = body.startswith(BOM)
    text = body[len(BOM):].decode('utf-8') if bom else body.decode('utf-8')
    if 'link_rewrite' in modes:
        text = rewrite_links(text, media, modes['link_rewrite'])
    if media == 'json':
        if 'mangle' in modes:
            text = json.dumps(mangle(json.loads(text), modes['mangle']), ensure_ascii=False, separators=(',', ':'))
        if 'nested_json' in modes:
            depth = modes['nested_json']['depth']
            text = '[' * depth + ']' * depth
    data = (BOM if bom else b'') + text.encode('utf-8')
    if media == 'json' and 'pad_body' in modes:
        data = pad(data, modes['pad_body'], len(BOM) if bom else 0)
    response.body = data


def _media(response):
    for name, value in response.headers:
        if name.lower() == 'content-type':
            if 'json' in value:
                return 'json'
            if 'xml' in value:
                return 'xml'
    return None


def _new_href(href, params):
    return params['template'].format_map(url_parts(href))


def _wanted(params, is_link, rel):
    if params['rels'] is not None:
        return is_link and (rel or '').lower() in params['rels']
    return params['scope'] == 'all' or (params['scope'] == 'links') == is_link


def rewrite_links(text, media, params) -> str:
    if media == 'json':
        return json.dumps(_rewrite_json(json.loads(text), params), ensure_ascii=False, separators=(',', ':'))
    return _START_TAG.sub(lambda match: _rewrite_tag(match, params), text)


def _rewrite_json(value, params):
    if isinstance(value, list):
        return [_rewrite_json(item, params) for item in value]
    if not isinstance(value, dict):
        return value
    keys = {key.lower(): key for key in value}
    result = {key: _rewrite_json(item, params) for key, item in value.items()}
    href_key = keys.get('href')
    if href_key is not None and isinstance(value[href_key], str) and value[href_key]:
        is_link = 'rel' in keys
        if _wanted(params, is_link, value[keys['rel']] if is_link else None):
            result[href_key] = _new_href(value[href_key], params)
    return result


_START_TAG = re.compile(r'<([A-Za-z_][\w.-]*)(\s[^<>]*?)(/?)>')
_ATTRIBUTE = re.compile(r'(\s)([A-Za-z_][\w.:-]*)="([^"]*)"')


def _rewrite_tag(match, params):
    name, attributes, closing = match.group(1), match.group(2), match.group(3)
    values = {found.group(2): found.group(3) for found in _ATTRIBUTE.finditer(attributes)}
    if not values.get('Href'):
        return match.group(0)
    is_link = name == 'Link'
    if not _wanted(params, is_link, unescape(values.get('Rel', ''))):
        return match.group(0)
    new = escape_attr(_new_href(unescape(values['Href']), params))

    def replace(found):
        return f'{found.group(1)}Href="{new}"' if found.group(2) == 'Href' else found.group(0)
    return f'<{name}{_ATTRIBUTE.sub(replace, attributes)}{closing}>'


def mangle(document, params):
    mode = params['mode']
    value = params.get('value', _UNSET)
    if mode == 'items_not_objects':
        return _items_not_objects(document, value, inside_links=False)
    key = {'name_wrong_type': 'name', 'uid_wrong_type': 'uid', 'jobinfo_not_object': 'jobinfo', 'links_not_list': 'links'}[mode]
    default = {'jobinfo_not_object': 'BackupJobInfo'}.get(mode)
    return _replace_key(document, key, value, default, mode == 'links_not_list')


def _items_not_objects(value, replacement, inside_links):
    if isinstance(value, dict):
        return {key: _items_not_objects(item, replacement, key.lower() == 'links') for key, item in value.items()}
    if isinstance(value, list):
        if value and not inside_links and all(isinstance(item, dict) for item in value):
            return [(f'item-{index}' if index % 2 == 0 else index) if replacement is _UNSET else replacement
                    for index in range(len(value))]
        return [_items_not_objects(item, replacement, False) for item in value]
    return value


def _replace_key(value, key, replacement, default, lists_only):
    if isinstance(value, list):
        return [_replace_key(item, key, replacement, default, lists_only) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for name, item in value.items():
        if name.lower() == key and (not lists_only or isinstance(item, list)):
            if replacement is not _UNSET:
                result[name] = replacement
            elif lists_only:
                result[name] = {'Link': item}
            else:
                result[name] = default
        else:
            result[name] = _replace_key(item, key, replacement, default, lists_only)
    return result


def pad(data: bytes, params, head: int) -> bytes:
    """``data`` made exactly ``bytes`` long, still valid JSON (``head``: length of a BOM before the document)."""
    wanted = params['bytes']
    missing = wanted - len(data)
    if missing <= 0:
        return data
    if params['where'] == 'key':
        document = data[head:].rstrip()
        member = b'"Padding":""'
        if document.startswith(b'{') and document.endswith(b'}'):
            separator = b'' if document[1:-1].strip() == b'' else b','
            fill = wanted - head - len(document) - len(separator) - len(member)
            if fill >= 0:
                return data[:head] + document[:-1] + separator + b'"Padding":"' + b'x' * fill + b'"}'
    return data + b' ' * missing
