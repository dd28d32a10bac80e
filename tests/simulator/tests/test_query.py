# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The query service: types, formats, filters (through query_filter.py), sorting, paging [query.md]."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from conftest import DAILY, DAILY_RUNS, PORTAL_USER, RESTORE_OPERATOR

NS = '{http://www.veeam.com/ent/v1.0}'
ESCAPED_NAME = 'Finance "Q4" & Payroll, Backup; Zürich'


def query(client, params: str, expect=200):
    """``params`` is written as a person would and percent-encoded here, like a client library does."""
    parts = re.split(r'&(?=(?:type|format|filter|sortAsc|sortDesc|pageSize|page)=)', params)
    encoded = '&'.join(f'{key}={quote(value, safe="")}' for key, _sep, value in (part.partition('=') for part in parts))
    return client.json(f'/query?{encoded}', expect=expect)


def job_names(result):
    return [ref['Name'] for ref in result['Refs']['Refs']]


def test_default_format_is_references_with_implicit_page_size_100(admin):
    result = query(admin, 'type=Job')
    assert result['Entities'] is None and result['Resources'] is None and result['Links'] is None
    assert len(result['Refs']['Refs']) == 15
    paging = result['PagingInfo']
    assert (paging['PageNum'], paging['PageSize'], paging['PagesCount']) == (1, 100, 1)
    assert [link['Rel'] for link in paging['Links']] == ['First', 'Last']


@pytest.mark.parametrize('type_name, fmt, section, key', [
    ('Job', 'Entities', 'Entities', 'Jobs'), ('job', 'entities', 'Entities', 'Jobs'),
    ('BackupJobSession', 'Entities', 'Entities', 'BackupJobSessions'), ('ReplicaJobSession', 'Entities', 'Entities', 'ReplicaJobSessions'),
    ('BackupTaskSession', 'Entities', 'Entities', 'BackupTaskSessions'), ('BackupServer', 'Entities', 'Entities', 'BackupServers'),
    ('ReplicaTaskSession', 'Entities', 'Entities', 'ReplicaTaskSessions'),
    ('HierarchyRoot', 'Entities', 'Entities', 'HierarchyRoots'), ('AgentBackupJob', 'Entities', 'Entities', 'AgentBackupJob'),
    ('NasJob', 'Entities', 'Entities', 'NASJobs'),
    ('ObjectInJob', 'References', 'Resources', 'sInObjectJob'), ('ObjectInJob', 'Entities', 'Resources', 'sInObjectJob'),
    ('Task', 'Entities', 'Resources', 'Tasks'),
])
def test_result_placement_per_type(admin, type_name, fmt, section, key):
    admin.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled')
    result = query(admin, f'type={type_name}&format={fmt}')
    holder = result[section]
    assert [name for name, value in holder.items() if value is not None] == [key]
    items = next(iter(holder[key].values()))
    assert items and all(isinstance(item, dict) for item in items)
    if section == 'Entities':
        assert len(holder) == 50 and result['Refs'] is None


def test_entities_xml_only_holds_the_list(admin):
    root = ET.fromstring(admin.get('/query?type=Job&format=Entities&pageSize=2', media='xml').content)
    assert [child.tag[len(NS):] for child in root] == ['Entities', 'PagingInfo']
    assert [child.tag[len(NS):] for child in root.find(NS + 'Entities')] == ['Jobs']
    assert len(root.find(f'{NS}Entities/{NS}Jobs')) == 2
    objects = ET.fromstring(admin.get('/query?type=ObjectInJob', media='xml').content)
    assert objects.find(f'{NS}Resources/{NS}sInObjectJob/{NS}ObjectInJob') is not None


@pytest.mark.parametrize('filter_text, expected', [
    ('Name=="Daily VM Backup"', ['Daily VM Backup']),
    ('name==daily vm backup', []),  # unquoted spaces are dropped: DailyVMBackup
    ('name=="daily vm backup"', ['Daily VM Backup']),  # case-insensitive equality
    (f'Name=="{ESCAPED_NAME.replace(chr(34), chr(34) * 2)}"', [ESCAPED_NAME]),
    ('Name=="Nightly Backup";BackupServerName=="vbr02.lab.local"', ['Nightly Backup']),
    ('JobType==Replica', ['SQL Replica']),
    ('jobtype==immediatebackupcopy,JobType==BackupCopy', ['Offsite Copy', 'Weekly Archive Copy']),
    ('(jobtype==replica;scheduleconfigured==false),(jobtype==backupcopy;scheduleconfigured==true)', ['Weekly Archive Copy']),
    ('ScheduleConfigured==False', ['Test Lab Backup']),
    ('Platform==hyperv', [ESCAPED_NAME]),
    ('Platform==vCloud', ['Tenant vApp Backup']),
    ('UID=="urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5"', ['Daily VM Backup']),
    ('Name!="Daily VM Backup";JobType==Backup;BackupServerName==vbr02.lab.local', ['Nightly Backup', 'DR Site Backup']),
])
def test_job_filters(admin, filter_text, expected):
    assert sorted(job_names(query(admin, f'type=Job&filter={filter_text}'))) == sorted(expected)


def test_session_filters_on_result_dates_and_retry(admin):
    failed = query(admin, 'type=BackupJobSession&format=Entities&filter=Result==Failed')
    names = {item['JobName'] for item in failed['Entities']['BackupJobSessions']['BackupJobSessions']}
    assert names == {'Daily VM Backup', 'File Server Backup'}
    warning_or_worse = query(admin, 'type=BackupJobSession&format=Entities&filter=Result>=Warning')
    results = {item['Result'] for item in warning_or_worse['Entities']['BackupJobSessions']['BackupJobSessions']}
    assert results == {'Warning', 'Failed'}
    recent = query(admin, f'type=BackupJobSession&filter=JobUid=="urn:veeam:Job:{DAILY}";CreationTime>="2000-01-01T00:00:00Z"')
    assert len(recent['Refs']['Refs']) == DAILY_RUNS
    future = query(admin, f'type=BackupJobSession&filter=JobUid=="urn:veeam:Job:{DAILY}";CreationTime>=2100-01-01T00:00:00')
    assert future['Refs']['Refs'] == []
    assert query(admin, 'type=BackupJobSession&filter=IsRetry==true')['Refs']['Refs'] == []


def test_include_and_task_session_filters(admin):
    web01 = query(admin, 'type=ObjectInJob&filter=JobName=="Daily VM Backup";Name=="web01"')
    items = web01['Resources']['sInObjectJob']['ObjectInJobs']
    assert [item['ObjectInJobId'] for item in items] == ['6eb9589d-5100-49a5-b885-742741f7ca22']
    dc01 = query(admin, 'type=ObjectInJob&filter=Name==dc01')['Resources']['sInObjectJob']['ObjectInJobs']
    assert len(dc01) == 2  # the VM in two jobs
    tasks = query(admin, 'type=BackupTaskSession&format=Entities&filter=VmDisplayName==web01;Result==Success')
    assert {item['VmDisplayName'] for item in tasks['Entities']['BackupTaskSessions']['BackupTaskSessions']} == {'web01'}


def test_filter_results_follow_changes(admin):
    assert 'Daily VM Backup' in job_names(query(admin, 'type=Job&filter=ScheduleEnabled==true'))
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled'))
    assert 'Daily VM Backup' not in job_names(query(admin, 'type=Job&filter=ScheduleEnabled==true'))


@pytest.mark.parametrize('params, fragment', [
    ('type=Job&filter=Name=', 'Invalid filter'),
    ('type=Job&filter=Colour==red', "unknown field 'Colour'"),
    ('type=Job&filter=JobType==Teleport', 'invalid value'),
    ('type=Job&filter=(Name==a', 'parentheses'),
    ('type=Job&filter=NextRun>=tomorrow', 'date-time'),
    ('type=Job&sortAsc=Name&sortDesc=Name', 'either sortAsc or sortDesc'),
    ('type=Job&sortAsc=Colour', 'Cannot sort'),
    ('type=Job&pageSize=0', 'pageSize'),
    ('type=Job&page=x', 'page'),
    ('type=Job&format=Everything', 'References or Entities'),
    ('type=Teleport', 'Unknown query type'),
    ('format=Entities', 'type parameter is required'),
])
def test_bad_queries_are_400(admin, params, fragment):
    assert fragment in query(admin, params, expect=400)['Message']


def test_documented_but_unsimulated_type_is_501(admin):
    assert query(admin, 'type=Replica', expect=501)['StatusCode'] == 501


def test_sorting(admin):
    ascending = job_names(query(admin, 'type=Job&sortAsc=name'))
    assert ascending == sorted(ascending, key=str.casefold)
    descending = query(admin, 'type=BackupJobSession&format=Entities&sortDesc=CreationTime')
    times = [item['CreationTimeUTC'] for item in descending['Entities']['BackupJobSessions']['BackupJobSessions']]
    assert times == sorted(times, reverse=True)
    by_result = query(admin, 'type=BackupJobSession&format=Entities&sortAsc=Result')
    results = [item['Result'] for item in by_result['Entities']['BackupJobSessions']['BackupJobSessions']]
    order = {'Success': 0, 'Warning': 1, 'Failed': 2}
    assert [order[value] for value in results] == sorted(order[value] for value in results)


def _links(result):
    return {link['Rel']: link['Href'] for link in result['PagingInfo']['Links']}


def test_paging_boundaries(admin):
    first = query(admin, 'type=Job&sortAsc=Name&pageSize=4')
    assert (first['PagingInfo']['PageNum'], first['PagingInfo']['PagesCount']) == (1, 4)
    assert list(_links(first)) == ['First', 'Next', 'Last']
    names, page = [], first
    while True:
        names += job_names(page)
        links = _links(page)
        if 'Next' not in links:
            break
        page = admin.json(links['Next'])
    assert len(names) == 15 and names == sorted(names, key=str.casefold)
    last = page
    assert last['PagingInfo']['PageNum'] == 4 and len(job_names(last)) == 3 and list(_links(last)) == ['First', 'Previous', 'Last']
    exact = query(admin, 'type=Job&pageSize=15')
    assert exact['PagingInfo']['PagesCount'] == 1 and list(_links(exact)) == ['First', 'Last']
    beyond = query(admin, 'type=Job&pageSize=4&page=9')
    assert job_names(beyond) == [] and beyond['PagingInfo']['PageNum'] == 9
    assert parse_qs(urlsplit(_links(beyond)['Previous']).query)['page'] == ['4']
    empty = query(admin, 'type=Job&filter=Name==nothing')
    assert empty['Refs']['Refs'] == [] and (empty['PagingInfo']['PageNum'], empty['PagingInfo']['PagesCount']) == (1, 1)


def test_paging_links_carry_the_encoded_filter(admin):
    result = query(admin, f'type=Job&format=Entities&filter=Name=="{ESCAPED_NAME.replace(chr(34), chr(34) * 2)}"&pageSize=1')
    href = _links(result)['First']
    assert '&format=Entities&filter=Name%3d%3d%22Finance+%22%22Q4%22%22+%26+Payroll%2c+Backup%3b+Z%c3%bcrich%22&pageSize=1&page=1' in href
    again = admin.json(href)
    assert [job['Name'] for job in again['Entities']['Jobs']['Jobs']] == [ESCAPED_NAME]


def test_query_roles(sim):
    user = sim.logon(PORTAL_USER)
    assert query(user, 'type=Job', expect=403)['Message'] == 'Access denied.'
    assert query(user, 'type=HierarchyRoot')['Refs']['Refs']
    operator = sim.logon(RESTORE_OPERATOR)
    assert query(operator, 'type=BackupServer', expect=403)
    assert query(operator, 'type=Task')['Resources']['Tasks']['Tasks'] == []


def test_query_service_links(sim):
    admin = sim.logon()
    service = admin.json('/querySvc')
    assert service['Type'] == 'QueryService' and service['Links'][0]['Rel'] == 'Up'
    hrefs = [link['Href'] for link in service['Links'][1:]]
    assert all('format=Entities&sortAsc=' in href and href.endswith('pageSize=15&page=1') for href in hrefs)
    assert admin.json(hrefs[0])['PagingInfo']['PageSize'] == 15
    user_links = sim.logon(PORTAL_USER).json('/querySvc')['Links']
    assert not any('type=Job&' in link['Href'] for link in user_links)


def test_large_page_size_is_accepted(admin):
    result = query(admin, 'type=ObjectInJob&pageSize=2000')
    assert result['PagingInfo']['PageSize'] == 2000 and result['PagingInfo']['PagesCount'] == 1
