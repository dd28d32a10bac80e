# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job entities of the query service (``query?type=Job&format=Entities``) and their ``Includes``.

``GET /jobs/{id}?format=Entity`` embeds the job's objects under ``JobInfo/<variant>/Includes``
[D: get_jobs_id; examples/job-entity.*] and so, by default, do the Job entities of the query service
[I: same entity type; examples/query-job-entities.* embed them]. Whether a real EM fills that list
in query results is not documented, so the switch ``query_job_includes`` offers the variants a
client must survive (``/jobs``, ``/jobs/{id}``, ``/jobs/{id}/includes`` and ``query?type=ObjectInJob``
are never affected):

* ``embedded``: the includes, as ``GET /jobs/{id}?format=Entity`` shows them;
* ``omitted``: the ``JobInfo`` variant has no ``Includes`` at all (no element, no JSON key);
* ``empty``: an empty list wrapper, ``<Includes />`` and ``"Includes": {"ObjectInJobs": []}``
  [json-xml-conventions.md rules 7 and 9: ``[]`` observed];
* ``null``: ``<Includes />`` and ``"Includes": null`` [rule 9: ``null`` observed; the renderer's
  form for empty lists inside entities].
"""

from __future__ import annotations

from . import shapes
from .dsl import LIST, Child, Member, Shape
from .render import Fragment
from .views import fragment, job_entity

_WITH_INCLUDES = ('BackupJobInfo', 'ReplicaJobInfo', 'BackupCopyJobInfo')


def _includes_member(omit_null=False, keep_empty=False):
    return Member(LIST, 'Includes', shape=shapes.OBJECT_IN_JOB, item='ObjectInJob', plural='ObjectInJobs', omit_null=omit_null,
                  keep_empty=keep_empty)


def _job_shape(includes):
    """The Job shape whose JobInfo variants carry ``includes`` instead of the usual Includes member."""
    variants = []
    for member in shapes.JOB_INFO.members:
        if member.name in _WITH_INCLUDES:
            inner = [includes if item.name == 'Includes' else item for item in member.shape.members]
            variants.append(Child(member.name, Shape(member.shape.name, inner)))
        else:
            variants.append(member)
    job_info = Child('JobInfo', Shape('JobInfo', variants))
    return Shape('Job', [job_info if member.name == 'JobInfo' else member for member in shapes.JOB.members])


def _job_entity_with(includes):
    def view(job, style):
        data = job_entity(job, style)
        for variant, info in data['JobInfo'].items():
            if variant in _WITH_INCLUDES:
                data['JobInfo'] = {variant: dict(info, Includes=includes)}
        return data
    return view


# switch value -> (fragment kind, view, shape); the kind keeps the cached renderings apart
_FORMS = {
    'omitted': ('job_includes_omitted', _job_entity_with(None), _job_shape(_includes_member(omit_null=True))),
    'empty': ('job_includes_empty', _job_entity_with([]), _job_shape(_includes_member(keep_empty=True))),
    'null': ('job_includes_null', _job_entity_with([]), shapes.JOB),
}


def job_fragment(ctx, job) -> Fragment:
    """A Job entity of a query answer, its Includes as the switch ``query_job_includes`` says."""
    form = _FORMS.get(ctx.sim.config.query_job_includes)
    if form is None:
        return fragment('job', job)
    kind, view, shape = form
    return Fragment(kind, job, view, shape, 'Job')
