# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the query-service filter grammar (em_simulator.query_filter)."""

from __future__ import annotations

import operator
import random
from datetime import datetime, timedelta, timezone

import pytest

from em_simulator.query_filter import (
    FieldType, Filter, FilterSyntaxError, UnknownFieldError, compile_filter, find_field, parse_filter, sort_key,
)

UTC = timezone.utc
RESULT = FieldType.ENUM('Success', 'Warning', 'Failed')
STATE = FieldType.ENUM('Starting', 'Stopping', 'Working', 'Pausing', 'Resuming', 'Stopped')
JOB_TYPE = FieldType.ENUM('Backup', 'Replica', 'BackupCopy')
PLATFORM = FieldType.ENUM('VMware', 'HyperV', 'vCloud')
FIELDS = {
    'UID': FieldType.STRING,
    'Name': FieldType.STRING,
    'Description': FieldType.STRING,
    'JobUid': FieldType.STRING,
    'JobType': JOB_TYPE,
    'Platform': PLATFORM,
    'ScheduleConfigured': FieldType.BOOL,
    'ScheduleEnabled': FieldType.BOOL,
    'CreationTime': FieldType.DATETIME,
    'EndTime': FieldType.DATETIME,
    'State': STATE,
    'Result': RESULT,
    'Port': FieldType.INT,
}
OPERATORS = {'==': operator.eq, '!=': operator.ne, '<': operator.lt, '>': operator.gt, '<=': operator.le, '>=': operator.ge}


def getter(record: dict):
    """get_value for a record given with any key case."""
    lowered = {key.lower(): value for key, value in record.items()}
    return lowered.get


def matches(text: str, **record) -> bool:
    return compile_filter(text, FIELDS).matches(getter(record))


def syntax_error(text: str, field_types=None) -> FilterSyntaxError:
    with pytest.raises(FilterSyntaxError) as caught:
        if field_types is None:
            parse_filter(text)
        else:
            compile_filter(text, field_types)
    return caught.value


# ------------------------------------------------------------- every operator on every type
# Each list holds (literal as written in the filter, the same value as stored on a record), in ascending order.
# The written literals mix case, quoting and time zones on purpose.
ORDERED_SAMPLES = {
    'Name': [('apple', 'APPLE'), ('"Banana"', 'banana'), ('cHeRrY', 'Cherry')],
    'ScheduleEnabled': [('false', False), ('TRUE', True)],
    'Port': [('-5', -5), ('80', 80), ('9398', 9398)],  # '80' > '9398' as text: checks integer order
    'CreationTime': [
        ('2025-08-15T05:59:59.999Z', datetime(2025, 8, 15, 5, 59, 59, 999000, tzinfo=UTC)),
        ('2025-08-15T08:00:00+02:00', datetime(2025, 8, 15, 6, 0, 0, tzinfo=UTC)),
        ('"2025-08-15T06:00:01"', datetime(2025, 8, 15, 6, 0, 1, tzinfo=UTC)),
    ],
    'Result': [('success', 'Success'), ('WARNING', 'Warning'), ('"Failed"', 'failed')],  # alphabetical order would differ
}


def _operator_cases():
    for name, samples in ORDERED_SAMPLES.items():
        for literal_rank, (literal, _stored) in enumerate(samples):
            for record_rank, (_written, stored) in enumerate(samples):
                for symbol, compare in OPERATORS.items():
                    yield pytest.param(f'{name}{symbol}{literal}', {name: stored}, compare(record_rank, literal_rank),
                                       id=f'{name}{symbol}{literal}-vs-{stored!r}')


@pytest.mark.parametrize('text, record, expected', list(_operator_cases()))
def test_every_operator_on_every_field_type(text, record, expected):
    assert matches(text, **record) is expected


@pytest.mark.parametrize('symbol, expected', [('==', False), ('!=', True), ('<', False), ('>', False), ('<=', False), ('>=', False)])
@pytest.mark.parametrize('name, literal', [('Name', 'x'), ('ScheduleEnabled', 'true'), ('Port', '1'), ('EndTime', '2025-01-01'), ('Result', 'Failed')])
def test_none_value_only_matches_not_equal(name, literal, symbol, expected):
    assert matches(f'{name}{symbol}{literal}', **{name: None}) is expected
    assert matches(f'{name}{symbol}{literal}') is expected  # field absent from the record


def test_empty_value_stands_for_nothing():
    assert matches('EndTime==""', EndTime=None)
    assert not matches('EndTime==""', EndTime=datetime(2025, 1, 1, tzinfo=UTC))
    assert matches('EndTime!=""', EndTime=datetime(2025, 1, 1, tzinfo=UTC))
    assert not matches('EndTime!=""', EndTime=None)
    assert matches('Description==""', Description='')
    assert matches('Description==""', Description=None)
    assert not matches('Description==""', Description='x')
    assert matches('Description!=""', Description='x')
    assert not matches('Description!=""', Description=None)
    assert matches('Description>""', Description='x')
    assert not matches('Description>""', Description=None)


@pytest.mark.parametrize('text', ['EndTime>""', 'Port<=""', 'Result<""', 'ScheduleEnabled>=""'])
def test_empty_value_cannot_be_ordered_on_typed_fields(text):
    error = syntax_error(text, FIELDS)
    assert "'==' or '!='" in str(error)
    assert error.offset == text.index('"')


# ------------------------------------------------------------- AND, OR, grouping, precedence
def test_documented_grouping_example():
    text = '(jobtype==replica;scheduleconfigured==false),(jobtype==backup;scheduleconfigured==true)'
    compiled = compile_filter(text, FIELDS)
    outcomes = {(job_type, configured): compiled.matches(getter({'JobType': job_type, 'ScheduleConfigured': configured}))
                for job_type in ('Backup', 'Replica', 'BackupCopy') for configured in (True, False)}
    assert outcomes == {
        ('Backup', True): True, ('Backup', False): False,
        ('Replica', True): False, ('Replica', False): True,
        ('BackupCopy', True): False, ('BackupCopy', False): False,
    }


@pytest.mark.parametrize('text, record, expected', [
    ('Name==a;Port==1', {'Name': 'a', 'Port': 1}, True),
    ('Name==a;Port==1', {'Name': 'a', 'Port': 2}, False),
    ('Name==a;Port==1;Result==Failed', {'Name': 'a', 'Port': 1, 'Result': 'Success'}, False),
    ('Name==a,Port==1', {'Name': 'b', 'Port': 1}, True),
    ('Name==a,Port==1', {'Name': 'b', 'Port': 2}, False),
    ('Name==a,Port==1,Result==Failed', {'Name': 'b', 'Port': 2, 'Result': 'Failed'}, True),
    ('((Name==a))', {'Name': 'a'}, True),
    ('(Name==a,Name==b);(Port==1,Port==2)', {'Name': 'b', 'Port': 2}, True),
    ('(Name==a,Name==b);(Port==1,Port==2)', {'Name': 'c', 'Port': 2}, False),
    ('Name==a;(Port==1,(Result>=Warning;State==Stopped))', {'Name': 'a', 'Port': 9, 'Result': 'Failed', 'State': 'Stopped'}, True),
    ('Name==a;(Port==1,(Result>=Warning;State==Stopped))', {'Name': 'a', 'Port': 9, 'Result': 'Failed', 'State': 'Working'}, False),
    ('Name==a;(Port==1,(Result>=Warning;State==Stopped))', {'Name': 'b', 'Port': 1}, False),
])
def test_and_or_and_nesting(text, record, expected):
    assert matches(text, **record) is expected


@pytest.mark.parametrize('text, canonical', [
    ('a==1;b==2,c==3', '(a=="1";b=="2"),c=="3"'),
    ('a==1,b==2;c==3', 'a=="1",(b=="2";c=="3")'),
    ('a==1,b==2;c==3,d==4', 'a=="1",(b=="2";c=="3"),d=="4"'),
    ('a==1;(b==2,c==3)', 'a=="1";(b=="2",c=="3")'),
    ('(a==1;b==2);c==3', 'a=="1";b=="2";c=="3"'),
    ('a==1,(b==2,(c==3))', 'a=="1",b=="2",c=="3"'),
])
def test_and_binds_tighter_than_or(text, canonical):
    assert str(parse_filter(text)) == canonical


def test_precedence_changes_results():
    # AND binding tighter: Name==a;Port==1,Port==2 is (Name==a;Port==1),Port==2
    assert matches('Name==a;Port==1,Port==2', Name='other', Port=2)
    assert not matches('Name==a;(Port==1,Port==2)', Name='other', Port=2)
    # and Port==2,Name==a;Port==1 is Port==2,(Name==a;Port==1)
    assert matches('Port==2,Name==a;Port==1', Name='other', Port=2)
    assert not matches('(Port==2,Name==a);Port==1', Name='other', Port=2)


# ------------------------------------------------------------- values: quoting, spaces, special characters
@pytest.mark.parametrize('text, stored', [
    ('Name=="Daily VM Backup"', 'Daily VM Backup'),
    ('Name==Daily VM Backup', 'DailyVMBackup'),  # unquoted spaces are ignored [D]
    ('  Name ==  "x y"  ;  Port == 1 ', 'x y'),
    ('Name=="""Backup"""', '"Backup"'),  # general rule: quoted, each " doubled
    ('Name==""Backup""', '"Backup"'),  # the reference's own example
    ('Name=="a""b"', 'a"b'),
    ('Name==a""b', 'a"b'),
    ('Name==""""', '"'),
    ('Name==""', ''),
    ('Name=="R&D; nightly, full"', 'R&D; nightly, full'),
    ('Name=="a==b != c<d>e"', 'a==b != c<d>e'),
    ('Name=="(weekly)"', '(weekly)'),
    ('Name=="Sauvegarde été – 日本"', 'Sauvegarde été – 日本'),
    ('Name==Sauvegarde_été', 'Sauvegarde_été'),
    ('Name=="  padded  "', '  padded  '),
])
def test_value_forms(text, stored):
    record = {'Name': stored, 'Port': 1}
    assert matches(text, **record)
    assert not matches(text, **{'Name': stored + 'x', 'Port': 1})


def test_quoted_value_keeps_spaces_and_bare_value_drops_them():
    assert not matches('Name=="Daily VM Backup"', Name='DailyVMBackup')
    assert not matches('Name==Daily VM Backup', Name='Daily VM Backup')


def test_doubled_quote_readings_agree():
    assert str(parse_filter('Name==""Backup""')) == str(parse_filter('Name=="""Backup"""')) == 'Name=="""Backup"""'


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def test_any_name_survives_quoting():
    generator = random.Random(20250815)
    alphabet = 'aZ9 _-.:"&;,=!<>()é日\t'
    for _round in range(500):
        name = ''.join(generator.choice(alphabet) for _index in range(generator.randint(1, 12)))
        text = 'Name==' + _quote(name) + ';Port>=1'
        compiled = compile_filter(text, FIELDS)
        assert compiled.matches(getter({'Name': name, 'Port': 1})), text
        assert compiled.matches(getter({'Name': name.upper(), 'Port': 1})), text
        assert not compiled.matches(getter({'Name': name + '"', 'Port': 1})), text
        assert str(parse_filter(str(compiled))) == str(compiled)


@pytest.mark.parametrize('text, record', [
    ('CreationTime>=2025-02-18T14:16:31', {'CreationTime': datetime(2025, 2, 18, 14, 16, 31, tzinfo=UTC)}),
    ('CreationTime>=2025-02-18T14:16:31Z', {'CreationTime': datetime(2025, 2, 18, 14, 16, 31, tzinfo=UTC)}),
    ('CreationTime==2025-02-18T14:16:31.1234567Z', {'CreationTime': datetime(2025, 2, 18, 14, 16, 31, 123456, tzinfo=UTC)}),
    ('CreationTime==2025-02-18T15:16:31+0100', {'CreationTime': datetime(2025, 2, 18, 14, 16, 31, tzinfo=UTC)}),
    ('CreationTime==2025-02-18', {'CreationTime': datetime(2025, 2, 18, tzinfo=UTC)}),
    ('CreationTime=="2025-02-18 14:16:31Z"', {'CreationTime': datetime(2025, 2, 18, 14, 16, 31)}),  # naive record = UTC
    ('CreationTime==2025-02-18T14:16:31Z', {'CreationTime': '2025-02-18T14:16:31.000Z'}),  # ISO text on the record
    ('JobUid==urn:veeam:Job:47752464-0fd4-4d9e-bd4a-45ec0a4d2c43', {'JobUid': 'urn:veeam:Job:47752464-0fd4-4d9e-bd4a-45ec0a4d2c43'}),
    ('UID==urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042', {'UID': 'urn:vmware:vm:1790E16E-E712-4C24-A47C-DC3B62A4C27F.VM-1042'}),
    ('UID=="urn:veeam:Job:47752464"', {'UID': 'urn:veeam:Job:47752464'}),
])
def test_unquoted_dates_and_uids(text, record):
    assert matches(text, **record)


def test_date_boundaries_of_documented_example():
    text = 'Result==Failed;CreationTime>="2025-08-15T06:00:00Z";CreationTime<="2025-08-16T13:00:00Z"'
    start = datetime(2025, 8, 15, 6, tzinfo=UTC)
    assert matches(text, Result='Failed', CreationTime=start)
    assert matches(text, Result='Failed', CreationTime=datetime(2025, 8, 16, 13, tzinfo=UTC))
    assert not matches(text, Result='Failed', CreationTime=start - timedelta(microseconds=1))
    assert not matches(text, Result='Failed', CreationTime=datetime(2025, 8, 16, 13, 0, 1, tzinfo=UTC))
    assert not matches(text, Result='Warning', CreationTime=start)


# ------------------------------------------------------------- case-insensitivity and enums
@pytest.mark.parametrize('text', ['Name==web', 'NAME==web', 'name==WEB', 'nAmE=="Web"'])
def test_field_names_and_strings_are_case_insensitive(text):
    assert matches(text, Name='Web')
    assert not matches(text, Name='Web2')


def test_get_value_receives_lower_case_names():
    asked = []

    def get_value(name):
        asked.append(name)
        return 'q'
    compile_filter('NAME!=z;Description==x,JobUID==y', FIELDS).matches(get_value)
    parse_filter('NAME==x').matches(get_value)
    assert asked == ['name', 'description', 'jobuid', 'name']


@pytest.mark.parametrize('text, record, expected', [
    ('platform==hyperv', {'Platform': 'HyperV'}, True),
    ('Platform==VCLOUD', {'Platform': 'vCloud'}, True),
    ('Platform==vmware', {'Platform': 'HyperV'}, False),
    ('JobType==backupcopy', {'JobType': 'BackupCopy'}, True),
    ('State<stopped', {'State': 'Working'}, True),
    ('State<stopped', {'State': 'Stopped'}, False),
    ('State>Starting;State<Stopped', {'State': 'Pausing'}, True),
    ('Result>Success', {'Result': 'Warning'}, True),
    ('Result<Warning', {'Result': 'Failed'}, False),
    ('ScheduleEnabled==True', {'ScheduleEnabled': True}, True),
    ('ScheduleEnabled==FALSE', {'ScheduleEnabled': True}, False),
    ('ScheduleEnabled=="false"', {'ScheduleEnabled': False}, True),
])
def test_enum_and_bool_values_in_any_case(text, record, expected):
    assert matches(text, **record) is expected


def test_enum_order_is_declaration_order_not_alphabetical():
    failed_or_worse = compile_filter('Result>=Failed', FIELDS)
    warning_or_worse = compile_filter('Result>=Warning', FIELDS)
    assert [value for value in RESULT.values if warning_or_worse.matches(getter({'Result': value}))] == ['Warning', 'Failed']
    assert [value for value in RESULT.values if failed_or_worse.matches(getter({'Result': value}))] == ['Failed']


@pytest.mark.parametrize('symbol, expected', [('==', False), ('!=', True), ('<', False), ('>=', False)])
def test_undeclared_enum_value_on_a_record_behaves_like_none(symbol, expected):
    assert matches(f'Result{symbol}Success', Result='None') is expected


def test_field_type_enum_keeps_declaration_order():
    assert JOB_TYPE.values == ('Backup', 'Replica', 'BackupCopy')
    assert JOB_TYPE.kind == 'enum'
    assert FieldType.ENUM('b', 'a') != FieldType.ENUM('a', 'b')
    assert FieldType.ENUM('a', 'b') == FieldType.ENUM('a', 'b')
    assert len({FieldType.STRING, FieldType.BOOL, FieldType.INT, FieldType.DATETIME, FieldType.ENUM('a')}) == 5
    with pytest.raises(ValueError, match='declared twice'):
        FieldType.ENUM('Success', 'SUCCESS')
    with pytest.raises(ValueError, match='at least one'):
        FieldType.ENUM()


# ------------------------------------------------------------- fields and unknown fields
def test_fields_are_lower_cased():
    assert parse_filter('(JobType==Replica;ScheduleConfigured==false),(jobtype==backup;NAME==x)').fields() == {'jobtype', 'scheduleconfigured', 'name'}
    assert compile_filter('Result==Failed', FIELDS).fields() == {'result'}


def test_unknown_field_names_the_field_and_the_valid_ones():
    with pytest.raises(UnknownFieldError) as caught:
        compile_filter('Name==x;Colour==red;Shape==round', FIELDS)
    assert caught.value.name == 'Colour'
    assert caught.value.offset == 8
    message = str(caught.value)
    assert "unknown field 'Colour' at offset 8" in message
    assert 'CreationTime' in message and 'ScheduleEnabled' in message
    assert isinstance(caught.value, ValueError)


def test_find_field_is_case_insensitive():
    assert find_field(FIELDS, 'creationtime') == ('CreationTime', FieldType.DATETIME)
    assert find_field(FIELDS, 'RESULT') == ('Result', RESULT)
    with pytest.raises(UnknownFieldError, match="unknown field 'Start'; fields of this type: CreationTime"):
        find_field(FIELDS, 'Start')


@pytest.mark.parametrize('text, offset, fragment', [
    ('ScheduleEnabled==maybe', 17, "invalid value 'maybe' for the bool field 'ScheduleEnabled': expected true or false"),
    ('CreationTime>=yesterday', 14, "invalid value 'yesterday' for the datetime field 'CreationTime'"),
    ('CreationTime>="2025-02-30T00:00:00Z"', 14, 'not a valid date-time'),
    ('CreationTime>=2025-02-18T14:16:31+25:00', 14, 'not a valid date-time'),
    ('Result==Maybe', 8, 'expected one of Success, Warning, Failed'),
    ('Port==1.5', 6, "invalid value '1.5' for the int field 'Port': expected an integer"),
    ('Port==12abc', 6, 'expected an integer'),
    ('Name==a;Port>=" 1"', 14, 'expected an integer'),
])
def test_literal_that_does_not_fit_the_field_type(text, offset, fragment):
    error = syntax_error(text, FIELDS)
    assert error.offset == offset
    assert fragment in str(error)
    assert f'at offset {offset}' in str(error)


# ------------------------------------------------------------- malformed expressions
@pytest.mark.parametrize('text, offset, fragment', [
    ('', 0, 'the filter is empty'),
    ('   ', 0, 'the filter is empty'),
    ('(Name==a', 0, "this '(' is never closed"),
    ('((Name==a)', 0, "this '(' is never closed"),
    ('Name==a)', 7, "this ')' has no matching '('"),
    (')', 0, "this ')' has no matching '('"),
    ('(Name==a;Port==1 Result==x', 23, "after the comparison 'Port==1Result', found '=='"),  # unquoted spaces are ignored
    ('Name==a;', 7, "dangling ';'"),
    ('Name==a,', 7, "dangling ','"),
    ('(Name==a;)', 8, "dangling ';'"),
    (';Name==a', 0, "empty term before ';'"),
    ('Name==a;;Port==1', 8, "empty term between ';' and ';'"),
    ('Name==a;,Port==1', 8, "empty term between ';' and ','"),
    ('(,Name==a)', 1, "empty term before ','"),
    ('()', 0, 'empty parentheses'),
    ('Name==', 6, "missing value after 'Name=='"),
    ('Name==;Port==1', 6, "missing value after 'Name==', found ';'"),
    ('Name>=)', 6, 'missing value'),
    ('Name', 4, 'expected an operator (==, !=, <, >, <=, >=)'),
    ('Name;Port==1', 4, "expected an operator (==, !=, <, >, <=, >=) after the field 'Name', found ';'"),
    ('==a', 0, "missing field name before '=='"),
    ('Name==a;<b', 8, "missing field name before '<'"),
    ('Name=a', 4, "a single '=' is not an operator; compare with '=='"),
    ('Name===a', 6, "a single '='"),
    ('Name= =a', 4, "a single '='"),
    ('Name!a', 4, "'!' must be followed by '='"),
    ('Name<>a', 5, "missing value after 'Name<', found '>'"),
    ('Name==a==b', 7, "expected ';', ',' or ')' after the comparison"),
    ('Name==a (Port==1)', 8, "expected ';', ',' or ')' after the comparison 'Name==a', found '('"),
    ('Name=="Daily', 6, "unterminated quoted value: no closing '\"'"),
    ('Name=="a""', 6, 'unterminated quoted value'),
    ('Name=="Daily" Backup', 14, 'unexpected text after the quoted value that starts at offset 6'),
    ('Name==Daily"Backup', 11, "lone '\"' in a value"),
    ('"Name"==a', 0, 'field names are not quoted'),
    ('(Name==a)Port==1', 9, "expected ';', ',' or the end of the filter, found the value 'Port'"),
    ('((Name==a)Port==1)', 10, "expected ';', ',' or ')' in the group opened at offset 0, found the value 'Port'"),
])
def test_malformed_expression_has_a_helpful_message(text, offset, fragment):
    error = syntax_error(text)
    assert fragment in str(error)
    assert error.offset == offset
    assert str(error).startswith(f'invalid filter at offset {offset}: ')
    assert '\n' not in str(error)
    assert isinstance(error, ValueError)


def test_compile_reports_syntax_errors_before_field_checks():
    error = syntax_error('Colour==red;', FIELDS)
    assert "dangling ';'" in str(error)


def test_nesting_depth_is_limited():
    assert matches('(' * 20 + 'Name==a' + ')' * 20, Name='a')
    error = syntax_error('(' * 100 + 'Name==a' + ')' * 100)
    assert 'nested deeper than 64 levels' in str(error)
    assert error.offset == 64


# ------------------------------------------------------------- untyped filters
def test_parse_filter_types_literals_from_record_values():
    parsed = parse_filter('ScheduleEnabled==TRUE;Port>=80;CreationTime>=2025-08-15T06:00:00;Name==web')
    good = {'ScheduleEnabled': True, 'Port': 443, 'CreationTime': datetime(2025, 8, 15, 6, tzinfo=UTC), 'Name': 'WEB'}
    assert isinstance(parsed, Filter)
    assert parsed.matches(getter(good))
    assert not parsed.matches(getter(dict(good, Port=9)))  # as text '9' > '80'; as integer it is smaller
    assert not parsed.matches(getter(dict(good, ScheduleEnabled=False)))
    assert not parsed.matches(getter(dict(good, CreationTime=datetime(2025, 8, 15, 5, 59, tzinfo=UTC))))
    assert parse_filter('Port!=1').matches(getter({'Port': None}))


def test_parse_filter_reports_a_literal_that_does_not_fit_the_record_value():
    parsed = parse_filter('ScheduleEnabled==maybe')
    with pytest.raises(FilterSyntaxError, match="invalid value 'maybe' for the bool field 'ScheduleEnabled'"):
        parsed.matches(getter({'ScheduleEnabled': True}))


# ------------------------------------------------------------- sort keys
def test_sort_key_strings_case_insensitive_none_first():
    names = ['beta', None, 'Alpha', 'gamma', 'alpha', 'Beta']
    ordered = sorted(names, key=lambda value: sort_key(FieldType.STRING, value))
    assert ordered == [None, 'Alpha', 'alpha', 'Beta', 'beta', 'gamma']
    descending = sorted(names, key=lambda value: sort_key(FieldType.STRING, value), reverse=True)
    assert descending[-1] is None and descending[0] == 'gamma'


def test_sort_key_enums_by_declaration_index():
    values = ['Failed', 'success', None, 'Warning', 'Other', 'Success']
    ordered = sorted(values, key=lambda value: sort_key(RESULT, value))
    assert ordered == [None, 'success', 'Success', 'Warning', 'Failed', 'Other']


@pytest.mark.parametrize('field_type, values, expected', [
    (FieldType.INT, [10, None, 9, -1, 100], [None, -1, 9, 10, 100]),
    (FieldType.BOOL, [True, None, False], [None, False, True]),
    (FieldType.DATETIME,
     [datetime(2025, 1, 2, tzinfo=UTC), datetime(2025, 1, 1, 23, 30), None, datetime(2025, 1, 2, 0, 45, tzinfo=timezone(timedelta(hours=1)))],
     [None, datetime(2025, 1, 1, 23, 30), datetime(2025, 1, 2, 0, 45, tzinfo=timezone(timedelta(hours=1))), datetime(2025, 1, 2, tzinfo=UTC)]),
])
def test_sort_key_other_types(field_type, values, expected):
    assert sorted(values, key=lambda value: sort_key(field_type, value)) == expected


# ------------------------------------------------------------- many records (a sanity check, not a timing)
def test_one_compiled_filter_evaluates_100k_records():
    start = datetime(2025, 1, 1, tzinfo=UTC)
    results = ('Success', 'Warning', 'Failed')
    records = [{'jobuid': f'urn:veeam:Job:{number % 50}', 'creationtime': start + timedelta(minutes=number),
                'result': results[number % 3], 'isretry': number % 7 == 0, 'state': 'Stopped'}
               for number in range(100_000)]
    compiled = compile_filter('JobUid=="urn:veeam:Job:7";CreationTime>="2025-02-01T00:00:00Z",(Result>=Warning;State==stopped;IsRetry==true)',
                              dict(FIELDS, IsRetry=FieldType.BOOL))
    found = sum(1 for record in records if compiled.matches(record.get))
    cutoff = 31 * 24 * 60  # minutes from 2025-01-01 to 2025-02-01
    expected = sum(1 for number in range(100_000)
                   if (number % 50 == 7 and number >= cutoff) or (number % 3 != 0 and number % 7 == 0))
    assert found == expected > 0
