# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch query_job_includes: Includes of the query service's Job entities (embedded, omitted, empty, null)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from conftest import DAILY, REPLICA

NS = '{http://www.veeam.com/ent/v1.0}'
QUERY = '/query?type=Job&format=Entities&filter=' + quote('JobType==Backup,JobType==Replica')
PATHS = {'Backup': 'BackupJobInfo', 'Replica': 'ReplicaJobInfo'}


def query_jobs(client):
    return client.json(QUERY)['Entities']['Jobs']['Jobs']


def query_jobs_xml(client):
    root = ET.fromstring(client.get(QUERY, media='xml').content)
    return root.findall(f'{NS}Entities/{NS}Jobs/{NS}Job')


def job_info(job):
    return job['JobInfo'][PATHS[job['JobType']]]


def includes_of_the_entity(client, job_id):
    return job_info(client.json(f'/jobs/{job_id}?format=Entity'))['Includes']['ObjectInJobs']


@pytest.mark.parametrize('value, expected', [
    ('omitted', 'absent'), ('empty', {'ObjectInJobs': []}), ('null', None)])
def test_json_variants(admin, value, expected):
    admin.sim.control('POST', '/config', {'query_job_includes': value})
    jobs = query_jobs(admin)
    assert {job['JobType'] for job in jobs} == {'Backup', 'Replica'} and len(jobs) > 5
    for job in jobs:
        assert job_info(job).get('Includes', 'absent') == expected, job['Name']
        assert 'GuestProcessingOptions' in job_info(job)  # only Includes changes


@pytest.mark.parametrize('value, element', [('omitted', None), ('empty', ''), ('null', '')])
def test_xml_variants(admin, value, element):
    admin.sim.control('POST', '/config', {'query_job_includes': value})
    for job in query_jobs_xml(admin):
        includes = job.find(f'{NS}JobInfo/*/{NS}Includes')
        if element is None:
            assert includes is None
        else:
            assert includes is not None and list(includes) == [] and not (includes.text or '').strip()


def test_embedded_by_default_in_both_media(admin):
    daily = next(job for job in query_jobs(admin) if job['UID'].endswith(DAILY))
    assert [item['Name'] for item in job_info(daily)['Includes']['ObjectInJobs']] == ['web01', 'Production']
    xml_daily = next(job for job in query_jobs_xml(admin) if job.get('UID').endswith(DAILY))
    assert len(xml_daily.findall(f'{NS}JobInfo/{NS}BackupJobInfo/{NS}Includes/{NS}ObjectInJob')) == 2


@pytest.mark.parametrize('value', ['omitted', 'empty', 'null'])
def test_other_resources_keep_the_includes(admin, value):
    admin.sim.control('POST', '/config', {'query_job_includes': value})
    assert [item['Name'] for item in includes_of_the_entity(admin, DAILY)] == ['web01', 'Production']
    assert len(includes_of_the_entity(admin, REPLICA)) == 1
    listed = next(job for job in admin.json('/jobs?format=Entity')['Jobs'] if job['UID'].endswith(DAILY))
    assert len(job_info(listed)['Includes']['ObjectInJobs']) == 2
    assert len(admin.json(f'/jobs/{DAILY}/includes')['ObjectInJobs']) == 2
    objects = admin.json('/query?type=ObjectInJob&filter=' + quote('JobName=="Daily VM Backup"'))
    assert len(objects['Resources']['sInObjectJob']['ObjectInJobs']) == 2


def test_switch_validation_and_reset(sim):
    assert 'error' in sim.control('POST', '/config', {'query_job_includes': 'sometimes'}, expect=400)
    sim.control('POST', '/config', {'query_job_includes': 'omitted'})
    sim.control('POST', '/reset')
    assert sim.control('GET', '/config')['query_job_includes'] == 'embedded'
