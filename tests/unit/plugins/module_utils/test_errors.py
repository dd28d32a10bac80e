# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_errors: one readable line, attributes for fail_json."""

from __future__ import annotations

from ansible_collections.veeamops.em.plugins.module_utils._errors import (
    OUTCOME_UNKNOWN,
    EmAmbiguousJobError,
    EmApiError,
    EmConnectionError,
    EmError,
    EmPermissionError,
    EmTlsError,
    one_line,
)


def test_full_message_is_one_line_of_sentences():
    error = EmPermissionError(method='GET', url='https://em01:9398/api/query?type=Job', status=403, em_message='Access denied.')
    assert str(error) == (
        'Enterprise Manager denied access: GET https://em01:9398/api/query?type=Job returned HTTP 403. '
        'Enterprise Manager says: Access denied. '
        'Likely fix: give the account the Portal Administrator role in Enterprise Manager (Configuration > Roles); '
        'Portal User and restore operator roles cannot read or run jobs.')
    assert error.details() == {'error_kind': 'permission', 'status': 403, 'url': 'https://em01:9398/api/query?type=Job',
                               'method': 'GET', 'em_message': 'Access denied.'}


def test_reason_outcome_and_custom_hint():
    error = EmConnectionError(method='POST', url='https://em01:9398/api/jobs/1?action=start', reason='[Errno 104] reset\n by peer',
                              outcome=OUTCOME_UNKNOWN, hint='try later')
    text = str(error)
    assert '\n' not in text
    assert text.startswith('Cannot connect to Enterprise Manager: POST https://em01:9398/api/jobs/1?action=start ([Errno 104] reset by peer). ')
    assert 'may or may not have been accepted' in text and text.endswith('Likely fix: try later.')


def test_defaults_and_hierarchy():
    assert isinstance(EmTlsError(), EmConnectionError) and isinstance(EmTlsError(), EmError)
    assert 'validate_certs' in str(EmTlsError()) and 'ca_path' in str(EmTlsError())
    assert str(EmError()) == 'Enterprise Manager request failed.'
    assert EmApiError(status=500).details()['status'] == 500


def test_long_values_are_cut():
    error = EmApiError(url='https://em01:9398/api/query?filter=' + 'x' * 1000, em_message='y' * 1000)
    assert len(str(error)) <= 1200 and '...' in str(error)
    assert one_line('a \r\n\t b') == 'a b'


def test_ambiguous_job_lists_candidates():
    candidates = [{'name': 'Nightly', 'id': '1', 'uid': 'urn:veeam:Job:1', 'backup_server': 'vbr01'},
                  {'name': 'Nightly', 'id': '2', 'uid': 'urn:veeam:Job:2', 'backup_server': 'vbr02'}]
    error = EmAmbiguousJobError('2 jobs match', candidates=candidates)
    assert error.details()['candidates'] == candidates and error.kind == 'ambiguous'
