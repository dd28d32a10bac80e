# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup_jobs_* filters in templates, as the backup_before_change role calls them.

Names and messages come from Enterprise Manager: a name that looks like a template must come out of a filter as
text that is never templated again (ansible-core before 2.19 marks such values unsafe; later ones template only
trusted text).
"""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import (
    WEB01_REF, job, outcome, planned, session, target, vm_entry,
)

try:
    from ansible.template import trust_as_template

    def untrusted(value):
        """Data as a module returns it: ansible-core 2.19 and later trust no text unless told to."""
        return value
except ImportError:  # ansible-core before 2.19 templates every string that is not marked unsafe
    from ansible.utils.unsafe_proxy import wrap_var as untrusted
    trust_as_template = str

HOSTILE = '{{ 6 * 7 }}'


def render(template, **variables):
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar, templar.template(trust_as_template(template))


def test_a_name_from_enterprise_manager_stays_text_in_the_verdict():
    jobs = untrusted([job(HOSTILE, 'a')])
    runs = untrusted({'a': outcome(name=HOSTILE, session_name=HOSTILE)})
    templar, verdict = render("{{ jobs | veeamops.em.backup_jobs_verdict(runs, host='web01') }}", jobs=jobs, runs=runs)
    assert verdict['msg'] == 'Backup of web01 succeeded. Job "%s" (vbr01.example.com): new run "%s" ended with Success.' % (HOSTILE, HOSTILE)
    assert templar.template(verdict['msg']) == verdict['msg']
    assert templar.template(verdict['jobs'][0]['name']) == HOSTILE


def test_an_error_text_from_enterprise_manager_stays_text_in_the_outcome():
    plan = untrusted([planned(job('Daily', 'a'), 'start')])
    started = untrusted([{'item': {'item': plan[0]}, 'failed': True, 'msg': 'EM says: ' + HOSTILE}])
    templar, outcomes = render("{{ plan | veeamops.em.backup_jobs_outcome(started=started) }}", plan=plan, started=started)
    assert outcomes['a']['error'] == 'EM says: ' + HOSTILE
    assert templar.template(outcomes['a']['error']) == 'EM says: ' + HOSTILE


def test_the_role_chain_in_templates():
    known = untrusted([job('Daily', 'a', last_session=session('Daily@1'))])
    templar, matched = render("{{ ['Daily', 'Typo'] | veeamops.em.backup_jobs_match(known) }}", known=known)
    assert [found['name'] for found in matched['jobs']] == ['Daily']
    assert matched['problems'] == ['No job named "Typo" in Enterprise Manager']
    templar, plan = render("{{ jobs | veeamops.em.backup_jobs_plan(now='2024-05-01T10:30:00Z', max_age_minutes=60) }}", jobs=matched['jobs'])
    assert [found['plan'] for found in plan] == ['recent']
    assert templar.template(plan[0]['name']) == 'Daily'


def test_names_and_reasons_from_enterprise_manager_stay_text_in_the_quick_backup_verdicts():
    backup = untrusted({'failed': True, 'msg': HOSTILE, 'vms': [vm_entry(job_name=HOSTILE, result='Failed', reason=HOSTILE)]})
    targets = untrusted([target('web01', WEB01_REF)])
    templar, verdicts = render("{{ targets | veeamops.em.backup_vm_verdicts(backup, vms=vms) }}", targets=targets, backup=backup,
                               vms=[WEB01_REF])
    message = verdicts['web01']['result']['msg']
    assert message == ('Backup of web01 did not succeed. Quick backup of VM web01 (job "%s" on vbr01.example.com): run "Daily@1" '
                       'ended with Failed: %s.' % (HOSTILE, HOSTILE))
    assert templar.template(message) == message
    assert templar.template(verdicts['web01']['record']['job']['name']) == HOSTILE


def test_an_undefined_argument_is_reported_by_its_name():
    # ansible-core before 2.19 calls the filter with the undefined value; later ones stop before the call.
    for template, name in (("{{ jobs | veeamops.em.backup_jobs_of_vm(no_such_name) }}", 'no_such_name'),
                           ("{{ no_such_jobs | veeamops.em.backup_jobs_match(jobs) }}", 'no_such_jobs')):
        with pytest.raises(AnsibleError) as failure:
            render(template, jobs=[])
        assert "'%s' is undefined" % name in str(failure.value), template
        assert 'must be' not in str(failure.value), template
