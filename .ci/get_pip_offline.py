# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip script that ansible-test downloads to bootstrap pip into its virtualenvs.

ansible-test runs it as ``python get_pip_X_Y.py pip==X.Y [--no-setuptools] [--no-wheel] ...`` with the Python of a
new, empty virtualenv. This version takes pip from the interpreter's own ensurepip, then installs the requested
pip release from the package index.
"""
from __future__ import annotations

import subprocess
import sys

IGNORED_OPTIONS = ('--no-setuptools', '--no-wheel')


def main() -> None:
    requested = [arg for arg in sys.argv[1:] if arg not in IGNORED_OPTIONS]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'], stdout=subprocess.DEVNULL)
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--quiet', '--upgrade', '--force-reinstall'] + requested)


if __name__ == '__main__':
    main()
