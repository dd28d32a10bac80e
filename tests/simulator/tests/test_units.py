# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small pure functions: key casing, dates, schedule times, URL encoding, XML escaping, shapes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from em_simulator.clock import SimClock
from em_simulator.dsl import Attr, Elem, Shape, camel_case
from em_simulator.render import Style, escape, escape_attr, json_text, xml_text
from em_simulator.urls import encode
from em_simulator.values import ClockTime, format_datetime, parse_duration, restore_point_name, session_time_suffix


@pytest.mark.parametrize('name, expected', [
    ('UID', 'uid'), ('VAppRestorePoints', 'vAppRestorePoints'), ('NASJobs', 'nasJobs'), ('CreationTimeUTC', 'creationTimeUTC'),
    ('sInObjectJob', 'sInObjectJob'), ('IsRetry', 'isRetry'), ('ACL', 'acl'), ('FSFileExcludeOptions', 'fsFileExcludeOptions'),
    ('RetrySpecified1', 'retrySpecified1'), ('EnterpiseRoles', 'enterpiseRoles'), ('Value', 'value'), ('', ''),
])
def test_camel_case_follows_dotnet(name, expected):
    assert camel_case(name) == expected


def test_datetime_profiles():
    value = datetime(2026, 3, 1, 21, 0, 12, 437413, tzinfo=timezone.utc)
    assert format_datetime(value, 'v12') == '2026-03-01T21:00:12.437Z'
    assert format_datetime(value, 'v13') == '2026-03-01T21:00:12.437413Z'
    assert format_datetime(value.replace(microsecond=0), 'v12') == '2026-03-01T21:00:12Z'
    assert format_datetime(value.replace(microsecond=220000), 'v13') == '2026-03-01T21:00:12.22Z'
    assert session_time_suffix(value, 'v12') == '2026-03-01 21:00:12'
    assert session_time_suffix(value, 'v13') == '2026-03-01 21:00:12.437413'
    assert restore_point_name(value) == 'Mar  1 2026  9:00PM'


@pytest.mark.parametrize('text, xml', [
    ('22:00:00.0000000+01:00', '22:00:00.0000000+01:00'), ('2026-03-02T22:00:00+13:00', '22:00:00.0000000+13:00'),
    ('23:30', '23:30:00.0000000+00:00'), ('06:05:04-05:30', '06:05:04.0000000-05:30'), ('2019-10-23T14:00:00', '14:00:00.0000000+00:00'),
])
def test_clock_time_parses_both_forms(text, xml):
    parsed = ClockTime.parse(text)
    assert parsed.xml() == xml
    assert parsed.json('2026-03-02') == '2026-03-02T' + xml.replace('.0000000', '')


@pytest.mark.parametrize('text', ['25:00', 'noon', '12'])
def test_clock_time_rejects(text):
    with pytest.raises(ValueError):
        ClockTime.parse(text)


@pytest.mark.parametrize('value, seconds', [(90, 90), ('2.5s', 2.5), ('30m', 1800), ('-1d2h', -93600), ('+30d', 2592000), ('4h', 14400)])
def test_parse_duration(value, seconds):
    assert parse_duration(value) == seconds


def test_dotnet_url_encoding():
    assert encode('Name=="Daily VM Backup"') == 'Name%3d%3d%22Daily+VM+Backup%22'
    assert encode('urn:veeam:Job:1', upper_hex=True) == 'urn%3Aveeam%3AJob%3A1'
    assert encode('Zürich;a,b&c*') == 'Z%c3%bcrich%3ba%2cb%26c*'


def test_xml_escaping():
    assert escape('Job "A" & <B>') == 'Job &quot;A&quot; &amp; &lt;B&gt;'
    assert escape_attr('a\nb') == 'a&#xA;b'


def test_shape_json_order_rule_and_override():
    shape = Shape('Thing', [Attr('Type'), Attr('Href'), Attr('Name'), Elem('Size')])
    assert [member.name for member in shape.json_members] == ['Size', 'Name', 'Href', 'Type']
    with pytest.raises(ValueError):
        Shape('Broken', [Attr('A'), Elem('B')], json_order=['B'])
    style = Style('https://h/api')
    data = {'Type': 'Thing', 'Href': None, 'Name': 'n & m', 'Size': ''}
    assert xml_text('Thing', shape, data, style) == '<Thing Type="Thing" Name="n &amp; m">\n  <Size />\n</Thing>\n'
    assert json_text(shape, data, style) == '{"Size":"","Name":"n & m","Href":null,"Type":"Thing"}'


def test_sim_clock_speed_and_advance():
    real = [1000.0]
    clock = SimClock(speed=10, real_time=lambda: 5000.0, monotonic=lambda: real[0])
    start = clock.now()
    real[0] += 2
    assert clock.now() - start == timedelta(seconds=20)
    clock.set_speed(1)
    real[0] += 2
    assert clock.now() - start == timedelta(seconds=22)
    clock.advance(100)
    assert clock.now() - start == timedelta(seconds=122)
    with pytest.raises(ValueError):
        clock.advance(-1)
