# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throw-away CA and a server certificate for 127.0.0.1 and localhost (EM's default certificate is
self-signed too [D: ssl_encryption]; a CA lets clients verify with ``ca_path``). Other names can be
asked for (``--tls-names``), for example to see how a client reports a host name the certificate does
not name.

Only the CA certificate leaves the process (``ca.pem``). The private keys stay in memory; the
server key passes through a 0600 temporary file for ``ssl`` to load and is deleted at once.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'veeamops.em test'),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _validity(builder, days: int):
    now = datetime.datetime.now(datetime.timezone.utc)
    return builder.not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=days))


DEFAULT_NAMES = ('127.0.0.1', 'localhost')


def _subject_alt_names(names):
    entries = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def make_certificates(days: int = 30, names=DEFAULT_NAMES):
    """(CA certificate PEM, server certificate chain PEM, server key PEM); ``names`` are the host names and IP addresses it is valid for."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name('Enterprise Manager simulator test CA')
    ca_builder = x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
    ca_builder = _validity(ca_builder.serial_number(x509.random_serial_number()), days)
    ca_builder = ca_builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    ca_builder = ca_builder.add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                                        key_encipherment=False, data_encipherment=False, key_agreement=False,
                                                        encipher_only=False, decipher_only=False), critical=True)
    ca_builder = ca_builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
    ca_cert = ca_builder.sign(ca_key, hashes.SHA256())

    key = ec.generate_private_key(ec.SECP256R1())
    builder = x509.CertificateBuilder().subject_name(_name(names[0])).issuer_name(ca_name).public_key(key.public_key())
    builder = _validity(builder.serial_number(x509.random_serial_number()), days)
    builder = builder.add_extension(_subject_alt_names(names), critical=False)
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())

    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return ca_cert.public_bytes(pem), cert.public_bytes(pem) + ca_cert.public_bytes(pem), key_pem


def server_context(chain_pem: bytes, key_pem: bytes) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    descriptor, path = tempfile.mkstemp(prefix='em-sim-', suffix='.pem')
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, 'wb') as handle:
            handle.write(chain_pem + key_pem)
        context.load_cert_chain(path)
    finally:
        os.unlink(path)
    return context
