"""The certificates of ``imageshare serve --tls``: a local CA, made once and kept beside the
database, and a server certificate it signs at every start.

The server certificate names 127.0.0.1, ::1, localhost, ``*.aliyuncs.com`` and
``*.REGION.aliyuncs.com`` for every region imageshare knows (a wildcard covers one label, and
product hosts are ``ecs.cn-hangzhou.aliyuncs.com``), plus any other name asked for. Clients
trust the CA file (docs/https.md); nothing here is meant to be trusted beyond this machine.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from imageshare.domain.regions import REGIONS
from imageshare.values import frozen

CA_NAME = "imageshare local CA"
CA_LIFETIME = timedelta(days=3650)
# Renewed at every start, so a short life costs nothing; under the 398 days clients accept.
SERVER_LIFETIME = timedelta(days=365)
DIRECTORY_NAME = "imageshare-tls"


@frozen
class TlsFiles:
    """PEM files: the CA certificate clients trust, and the server's certificate and key."""

    ca: Path
    cert: Path
    key: Path


def tls_directory(database_url: str) -> Path:
    """Beside the SQLite file; for any other database, the working directory."""
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and database_url[len(prefix) :] not in ("", ":memory:"):
        return Path(database_url[len(prefix) :]).resolve().parent / DIRECTORY_NAME
    return Path.cwd() / DIRECTORY_NAME


def server_names(extra: tuple[str, ...] = ()) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
        x509.DNSName("localhost"),
        x509.DNSName("*.aliyuncs.com"),
    ]
    names += [x509.DNSName(f"*.{region}.aliyuncs.com") for region in REGIONS]
    for name in extra:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            names.append(x509.DNSName(name))
    return list(dict.fromkeys(names))


def ensure_files(directory: Path, extra_names: tuple[str, ...] = ()) -> TlsFiles:
    """The CA (made if missing, kept otherwise) and a new server certificate it signs."""
    directory.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(directory / "ca.pem", directory / "server.pem", directory / "server-key.pem")
    ca_key_file = directory / "ca-key.pem"
    if files.ca.exists() and ca_key_file.exists():
        ca_cert = x509.load_pem_x509_certificate(files.ca.read_bytes())
        ca_key = serialization.load_pem_private_key(ca_key_file.read_bytes(), password=None)
        if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{ca_key_file} is not the EC key imageshare made")
    else:
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_cert = _ca_certificate(ca_key)
        _write_private(ca_key_file, _key_pem(ca_key))
        files.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = _server_certificate(server_key, ca_cert, ca_key, server_names(extra_names))
    _write_private(files.key, _key_pem(server_key))
    files.cert.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    return files


def _ca_certificate(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )


def _server_certificate(
    key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    names: list[x509.GeneralName],
) -> x509.Certificate:
    now = datetime.now(UTC)
    ca_key_id = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "imageshare")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + SERVER_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(ca_key_id, critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_private(path: Path, data: bytes) -> None:
    """Written readable by the owner only, as private keys should be."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)
