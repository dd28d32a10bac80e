# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Default job settings, as canonical data for the shapes in shapes.py.

The values are those of examples/job-entity.xml (the example estate). Builders return fresh
dicts; the scenario loader shares equal blocks between jobs (render.intern), so no block is ever
changed in place (edits build new dicts).
"""

from __future__ import annotations

from .values import ClockTime

WEEK_DAYS = ('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')
MONTHS = ('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November',
          'December')
ALL_HOURS = ','.join(['1'] * 24)
WINDOWS_EXCLUDED_FOLDERS = ('%windir%', '%ProgramFiles%', '%ProgramFiles(x86)%', '%ProgramW6432%', '%TEMP%')
LINUX_EXCLUDED_FOLDERS = ('/cdrom', '/dev', '/media', '/mnt', '/proc', '/tmp', '/lost+found')


def day_schedule() -> list:
    return [{'Name': day, 'Value': ALL_HOURS} for day in WEEK_DAYS]


def standart(daily_enabled=True, time='22:00', offset_hours=1, periodic=None, monthly_enabled=False, retry_times=3,
             retry_timeout=10) -> dict:
    """``JobScheduleOptions/Standart`` [D: get_jobs_id]; ``periodic`` = (``Hours``|``Minutes``, period) enables it."""
    hour, minute = (int(part) for part in time.split(':')[:2])
    clock = ClockTime(hour, minute, 0, offset_hours * 60)
    monthly_clock = ClockTime(22, 0, 0, offset_hours * 60)
    periodic_kind, full_period = periodic or ('Hours', 1)
    return {
        'RetryOptions': {'RetryTimes': retry_times, 'RetryTimeout': retry_timeout, 'RetrySpecified': True},
        'WaitForBackupCompletion': True,
        'BackupCompetitionWaitingPeriodMin': 180,
        'OptionsDaily': {'Enabled': daily_enabled and periodic is None, 'Kind': 'Everyday', 'Days': list(WEEK_DAYS),
                         'Time': clock, 'TimeOffsetUtc': offset_hours},
        'OptionsMonthly': {'Enabled': monthly_enabled, 'Time': monthly_clock, 'TimeOffsetUtc': offset_hours,
                           'DayNumberInMonth': 'Fourth', 'DayOfWeek': 'Saturday', 'Months': list(MONTHS), 'DayOfMonth': 1},
        'OptionsPeriodically': {'Enabled': periodic is not None, 'Kind': periodic_kind, 'FullPeriod': full_period,
                                'Schedule': day_schedule()},
        'OptionsContinuous': {'Enabled': False, 'Schedule': day_schedule()},
        'OptionsBackupWindow': {'Enabled': False, 'TimePeriods': day_schedule()},
        'OptionsDaisyChaining': {'Enabled': False, 'PreviousJobUid': ''},
    }


def schedule_options(job_type: str, **kwargs) -> dict:
    """``ImmediateCopyMode`` for immediate backup copy jobs, ``Standart`` otherwise [D: put_jobs_id_actionedit]."""
    if job_type == 'ImmediateBackupCopy':
        return {'ImmediateCopyMode': {'OptionsContinuous': {'Enabled': True, 'Schedule': day_schedule()}}}
    return {'Standart': standart(**kwargs)}


def include_guest_processing(windows_credentials_id: str = '') -> dict:
    return {
        'VssSnapshotOptions': {'VssSnapshotMode': 'RequireSuccess', 'IsCopyOnly': False, 'UsePersistentGuestAgent': False},
        'WindowsGuestFSIndexingOptions': {'FileSystemIndexingMode': 'ExceptSpecifiedFolders', 'IncludedIndexingFolders': [],
                                          'ExcludedIndexingFolders': list(WINDOWS_EXCLUDED_FOLDERS)},
        'LinuxGuestFSIndexingOptions': {'FileSystemIndexingMode': 'ExceptSpecifiedFolders', 'IncludedIndexingFolders': [],
                                        'ExcludedIndexingFolders': list(LINUX_EXCLUDED_FOLDERS)},
        'SqlBackupOptions': {'TransactionLogsProcessing': 'OnlyOnSuccessJob', 'BackupLogsFrequencyMin': 15,
                             'UseDbBackupRetention': True, 'RetainDays': 15},
        'WindowsCredentialsId': windows_credentials_id,
        'LinuxCredentialsId': '',
    }


def agent_include_guest_processing() -> dict:
    """Per-computer options of agent jobs: no persistent guest agent option [examples/agent-job-entity.xml]."""
    options = include_guest_processing()
    options['VssSnapshotOptions'] = {'VssSnapshotMode': 'RequireSuccess', 'IsCopyOnly': False}
    return options


def job_guest_processing(vss_mode: str = 'Disabled') -> dict:
    return {
        'VssSnapshotOptions': {'VssSnapshotMode': vss_mode, 'IsCopyOnly': False},
        'WindowsGuestFSIndexingOptions': {'FileSystemIndexingMode': 'EveryFolders', 'IncludedIndexingFolders': [],
                                          'ExcludedIndexingFolders': []},
        'LinuxGuestFSIndexingOptions': {'FileSystemIndexingMode': 'ExceptSpecifiedFolders', 'IncludedIndexingFolders': [],
                                        'ExcludedIndexingFolders': list(LINUX_EXCLUDED_FOLDERS)},
        'SqlBackupOptions': {'TransactionLogsProcessing': 'OnlyOnSuccessJob', 'BackupLogsFrequencyMin': 15,
                             'UseDbBackupRetention': True, 'RetainDays': 15},
        'WindowsCredentialsId': '',
        'LinuxCredentialsId': '',
    }


def gfs_retention() -> dict:
    return {'Enabled': False,
            'Weekly': {'Enabled': False, 'RetentionPeriod': 1, 'SelectedDay': 'Sunday'},
            'Monthly': {'Enabled': False, 'RetentionPeriod': 1, 'SelectedWeek': 'First'},
            'Yearly': {'Enabled': False, 'RetentionPeriod': 1, 'SelectedMonth': 'January'}}


def simple_retention(cycles: int = 14, days: int = 7, limit: str = 'Cycles') -> dict:
    return {'RetainCycles': cycles, 'RetainDaysToKeep': days, 'RetainLimitType': limit}


def job_settings(job_type: str, retain_cycles: int = 14) -> dict:
    """The variant settings other than the include lists (those live on the job's include objects)."""
    if job_type == 'Backup':
        return {'GuestProcessingOptions': job_guest_processing(), 'AdvancedStorageOptions': {'PasswordKeyId': ''},
                'GfsRetentionPolicy': gfs_retention(), 'SimpleRetentionPolicy': simple_retention(retain_cycles)}
    if job_type == 'Replica':
        return {'GuestProcessingOptions': job_guest_processing()}
    if job_type == 'BackupCopy':
        return {'AdvancedStorageOptions': {'PasswordKeyId': ''}}
    if job_type == 'AgentBackup':
        return {'GuestProcessingOptions': job_guest_processing('RequireSuccess'), 'GfsRetentionPolicy': gfs_retention(),
                'SimpleRetentionPolicy': simple_retention(retain_cycles)}
    return {}


def nas_storage_options(repository_uid: str) -> dict:
    return {'BackupRepositoryUid': repository_uid, 'ShorttermRetentionType': 'Day', 'ShorttermRetentionPeriod': 28,
            'LongtermRetentionEnabled': False,
            'AdvancedStorageOptions': {'ACL': {'FileAttributesChangeTrackingMode': 'TrackOnlyFolderAttributesChanges'}}}
