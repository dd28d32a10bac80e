# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: run (default), ``stop`` and ``generate``. See the README for examples."""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from . import __version__
from .app import App
from .config import CASINGS, CHOICES, Config
from .daemon import remove_state, start_daemon, stop_daemon, write_state
from .generator import GeneratorSpecError, generate, parse_spec, write_scenario
from .measure import measure
from .scenario import ScenarioError, read_scenario
from .server import SimServer
from .tls import DEFAULT_NAMES, make_certificates, server_context

DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent / 'scenarios' / 'lab.yml'


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='python -m em_simulator', description=(
        'Veeam Backup Enterprise Manager REST API simulator (127.0.0.1 only). '
        'Other commands: "stop --state-dir DIR", "generate SPEC -o FILE", "measure --state-dir DIR".'))
    parser.add_argument('--scenario', default=str(DEFAULT_SCENARIO), help='YAML or JSON estate (default: the lab scenario)')
    parser.add_argument('--generate', metavar='SPEC',
                        help='generate the estate instead: servers=N,jobs=M,includes=K,seed=S[,runs=R|sessions=N][,points=P]')
    parser.add_argument('--port', type=int, default=0, help='TCP port on 127.0.0.1; 0 picks a free one (default)')
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument('--tls', dest='tls', action='store_true', default=True, help='serve HTTPS with a generated CA (default)')
    tls.add_argument('--no-tls', dest='tls', action='store_false', help='serve plain HTTP')
    parser.add_argument('--tls-names', default=','.join(DEFAULT_NAMES), type=_names,
                        help='comma-separated host names and IP addresses the server certificate is valid for (default: 127.0.0.1,localhost)')
    parser.add_argument('--state-dir', help='write state.json and ca.pem here (required with --daemon)')
    parser.add_argument('--casing', choices=CASINGS, default='pascal', help='JSON keys: pascal (EM 12, default) or camel (EM 13)')
    parser.add_argument('--bom', action='store_true', help='start JSON bodies with a UTF-8 BOM')
    parser.add_argument('--idle-timeout', type=float, default=900.0, help='logon session idle expiry, real seconds (default 900)')
    parser.add_argument('--time-speed', type=float, default=1.0, help='simulated seconds per real second (default 1)')
    parser.add_argument('--task-duration', type=float, default=1.0, help='simulated seconds a task stays Running (default 1)')
    parser.add_argument('--run-duration', type=float, default=4.0, help='default simulated length of a job run (default 4)')
    _add_variant_options(parser)
    parser.add_argument('--lifetime', type=float, help='exit by itself after this many real seconds')
    parser.add_argument('--daemon', action='store_true', help='detach once ready (needs --state-dir)')
    parser.add_argument('--verbose', action='store_true', help='log every request to stderr')
    parser.add_argument('--version', action='version', version=__version__)
    return parser


# switches for the variants of real EM servers a client must survive (README "Real-EM variants"):
# (option, Config field, type, metavar, help); every one can also be changed through POST /_sim/config
VARIANT_OPTIONS = (
    ('--query-job-includes', 'query_job_includes', str, None,
     'Includes of the Job entities of query?type=Job&format=Entities: embedded (default), omitted, empty or null'),
    ('--include-visibility-delay', 'include_visibility_delay', float, 'S',
     'simulated seconds from an include task\'s Finished until EM shows the new include (default 0: at OperationFinished)'),
    ('--duplicate-include', 'duplicate_include', str, None, 'adding an object a job already has: fail (default) or ignore'),
    ('--last-include-removal', 'last_include_removal', str, None,
     'removing the last object of a job: task (a failed task, default) or http (a 500 answer)'),
    ('--session-collect-delay', 'session_collect_delay', float, 'S',
     'simulated seconds until EM shows a job session and each change of it (default 0)'),
    ('--task-vanish-after-polls', 'task_vanish_after_polls', int, 'N', 'a task disappears once GET /tasks/{id} read it N times (default 0: never)'),
    ('--quick-backup-busy-job', 'quick_backup_busy_job', str, None,
     'a quick backup while its job is busy: refuse (a failed task, default), merge (join the job\'s quick-backup run '
     'that has not begun processing VMs) or queue (a run of its own once the current one has ended)'),
    ('--quick-backup-job', 'quick_backup_job', str, None,
     'the job that runs the quick backup of a VM several backup jobs protect: first (created first, default) or last'),
)


def _add_variant_options(parser) -> None:
    defaults = Config()
    for option, field, type_, metavar, text in VARIANT_OPTIONS:
        choices = CHOICES.get(field)
        parser.add_argument(option, dest=field, type=type_, choices=choices, metavar=None if choices else metavar,
                            default=getattr(defaults, field), help=text)


def _variant_settings(args) -> dict:
    return {field: getattr(args, field) for _option, field, *_rest in VARIANT_OPTIONS}


def _names(text):
    names = tuple(name.strip() for name in text.split(',') if name.strip())
    if not names:
        raise argparse.ArgumentTypeError('give at least one host name or IP address')
    return names


def _scenario_loader(args):
    if args.generate:
        return functools.partial(generate, **parse_spec(args.generate))
    read_scenario(args.scenario)  # fail early with a clear message
    return functools.partial(read_scenario, args.scenario)


def run(argv) -> int:
    parser = _run_parser()
    args = parser.parse_args(argv)
    if args.daemon:
        if not args.state_dir:
            parser.error('--daemon needs --state-dir')
        return start_daemon([arg for arg in argv if arg != '--daemon'], Path(args.state_dir).resolve())
    config = Config(casing=args.casing, bom=args.bom, idle_timeout=args.idle_timeout, time_speed=args.time_speed,
                    task_duration=args.task_duration, run_duration=args.run_duration, **_variant_settings(args))
    try:
        config.validate()
        app = App(_scenario_loader(args), config)
    except (ScenarioError, GeneratorSpecError, ValueError, OSError) as error:
        print(f'em_simulator: {error}', file=sys.stderr)
        return 2
    state_dir = Path(args.state_dir).resolve() if args.state_dir else Path(tempfile.mkdtemp(prefix='em-simulator-'))
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    context = None
    if args.tls:
        ca_pem, chain_pem, key_pem = make_certificates(names=args.tls_names)
        (state_dir / 'ca.pem').write_bytes(ca_pem)
        context = server_context(chain_pem, key_pem)
    try:
        server = SimServer(app, args.port, context, args.verbose)
    except OSError as error:
        print(f'em_simulator: cannot listen on 127.0.0.1:{args.port}: {error}', file=sys.stderr)
        return 2
    return _serve(server, args, state_dir)


def _serve(server, args, state_dir: Path) -> int:
    port = server.server_address[1]
    scheme = 'https' if args.tls else 'http'
    url = f'{scheme}://127.0.0.1:{port}'
    state = {'url': url, 'api_url': f'{url}/api', 'control_url': f'{url}/_sim', 'port': port, 'tls': args.tls,
             'ca_path': str(state_dir / 'ca.pem') if args.tls else None, 'pid': os.getpid(), 'casing': args.casing,
             'state_dir': str(state_dir)}

    def shutdown(*_args):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    if args.lifetime:
        timer = threading.Timer(args.lifetime, server.shutdown)
        timer.daemon = True
        timer.start()
    write_state(state_dir, state)
    print(f'em_simulator {__version__} serving {url}/api (control {url}/_sim); state in {state_dir}', flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        remove_state(state_dir, os.getpid())
    print('em_simulator stopped', flush=True)
    return 0


def stop(argv) -> int:
    parser = argparse.ArgumentParser(prog='python -m em_simulator stop', description='stop a simulator started with --daemon')
    parser.add_argument('--state-dir', required=True)
    args = parser.parse_args(argv)
    return stop_daemon(Path(args.state_dir).resolve())


def generate_command(argv) -> int:
    parser = argparse.ArgumentParser(prog='python -m em_simulator generate', description='write a generated scenario file')
    parser.add_argument('spec', help='servers=N,jobs=M,includes=K,seed=S[,runs=R|sessions=N][,points=P]')
    parser.add_argument('-o', '--output', required=True, help='file to write (.json or .yml/.yaml)')
    args = parser.parse_args(argv)
    try:
        data = generate(**parse_spec(args.spec))
    except GeneratorSpecError as error:
        parser.error(str(error))
    write_scenario(data, args.output)
    print(json.dumps({'output': args.output, 'jobs': len(data['jobs']), 'backup_servers': len(data['backup_servers'])}))
    return 0


def measure_command(argv) -> int:
    parser = argparse.ArgumentParser(prog='python -m em_simulator measure', description='measure the throughput of a running simulator')
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('--seconds', type=float, default=3.0, help='length of each requests-per-second measurement')
    args = parser.parse_args(argv)
    print(measure(args.state_dir, args.seconds))
    return 0


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {'stop': stop, 'generate': generate_command, 'measure': measure_command}
    if argv and argv[0] in commands:
        return commands[argv[0]](argv[1:])
    return run(argv)
