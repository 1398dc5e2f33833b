"""Helpers of the digest tests: a watch, documents built by hand (known figures), the demo corpus
enriched once per session, and real SMTP servers on loopback (plain, STARTTLS + AUTH, implicit TLS)."""

from __future__ import annotations

import json
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.smtp import smtp_servers
from tests.support import names

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
HOSTILE = '<script>alert(1)</script> <a href="javascript:alert(2)">cliquez ici</a> Rue inondée !'
WATCH = {
    "id": "testville", "name": "Ville de Testville", "timezone": "Europe/Paris",
    "territory": {"communes": ["59328"], "places": ["Canon d'Or"], "keywords": ["Testville"]},
    "own_accounts": ["VilleDeTestville"],
    "digest": {"recipients": ["com@testville.example", "elus@testville.example"]},
}


def watch_file(tmp_path: Path, **digest) -> Path:
    data = json.loads(json.dumps(WATCH))
    data["digest"].update(digest)
    path = tmp_path / "watch.yaml"
    path.write_text(yaml.safe_dump({"watches": [data]}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def watch(tmp_path):
    from vigie.config import load_config

    return load_config(watch_file(tmp_path)).watches[0]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local (Paris) time in November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


def doc_id(item_id: str, platform: str = "facebook") -> str:
    from vigie.schema import make_doc_id

    return make_doc_id(platform, item_id)


def make(item_id: str, when: datetime, text: str = "Un message de Testville.", **fields) -> dict:
    from vigie.schema import Document

    platform = fields.pop("platform", "facebook")
    data = {"item_id": item_id, "platform": platform, "source_id": fields.pop("source_id", "src"),
            "source_kind": fields.pop("source_kind", "facebook_page"), "text": text, "published_at": when,
            "url": fields.pop("url", f"https://social.example/{item_id}"), "watch_ids": ["testville"],
            "author": fields.pop("author", {"handle": "citoyen", "name": "Un citoyen"}),
            "territory": fields.pop("territory", {"communes": [{"insee": "59328", "name": "Lambersart"}]}),
            **fields}
    return Document.model_validate(data).to_json_dict()


OWN = {"handle": "VilleDeTestville", "name": "Ville de Testville"}
LONG = ("Le conseil municipal a examiné hier soir le budget de la commune pour l'année prochaine, "
        "avec une hausse des investissements dans les écoles et la voirie. ") * 40


def constructed_docs() -> list[dict]:
    """Documents whose figures are known: the day covered is 17 November 2026 (Paris)."""
    docs = []
    # seven days before: 16 Nov has 4 (2 mastodon, 2 feed), 10–15 Nov one mastodon each; 9 Nov is outside
    for day in range(10, 16):
        docs.append(make(f"old-{day}", at(day, 12), platform="mastodon", source_kind="mastodon",
                         topics=["voirie-travaux"], sentiment={"label": "neutral"}))
    docs.append(make("out-9", at(9, 12), platform="mastodon", source_kind="mastodon"))
    for k in range(2):
        docs.append(make(f"prev-m{k}", at(16, 9 + k), platform="mastodon", source_kind="mastodon",
                         sentiment={"label": "positive"}))
        docs.append(make(f"prev-f{k}", at(16, 14 + k), platform="rss", source_kind="feed", kind="article",
                         title=f"Article {k}", sentiment={"label": "negative"}))
    docs.append(make("next-day", at(18, 0, 30)))                       # 18 Nov 00:30 local: not the day
    # the day: 16 documents
    day = [
        make("early", at(17, 0, 10), platform="mastodon", source_kind="mastodon"),  # 16 Nov 23:10 UTC
        make("late", at(17, 23, 30), platform="mastodon", source_kind="mastodon"),
        make("p1", at(17, 8), author=OWN, text="Collecte des encombrants jeudi.", engagement={"likes": 0}),
        make("p2", at(17, 9), author=OWN, text="Fête de quartier samedi au Canon d'Or.",
             engagement={"likes": 5, "replies": 2}, territory={"communes": [{"insee": "59328", "name": "Lambersart"}],
                                                              "places": ["Canon d'Or"]}),
        make("p3", at(17, 10), author=OWN, text="Nouveaux horaires de la mairie."),
        make("c1", at(17, 11), kind="comment", parent_id=doc_id("p2"), thread_id=doc_id("p2"),
             text="Espèce d'abruti de maire", toxicity={"score": 0.9, "labels": ["insult"], "flagged": True}),
        make("c3", at(17, 11, 30), kind="comment", parent_id=doc_id("p3"), thread_id=doc_id("p3"),
             text="Merci pour l'info"),
        make("x1", at(17, 12), text="Un post d'un habitant", author={"handle": "habitant"}),
        make("c2", at(17, 12, 30), kind="comment", parent_id=doc_id("x1"), thread_id=doc_id("x1"),
             text="Insulte sur une page qui n'est pas la nôtre", toxicity={"labels": ["insult"], "flagged": True}),
        make("r1", at(17, 13), text="Nid-de-poule rue Foch", sentiment={"label": "negative"},
             request={"is_request": True, "kind": "report", "service": "voirie"}, topics=["voirie-travaux"]),
        make("r2", at(17, 14), text="Quand la rue Foch sera-t-elle refaite ?", topics=["voirie-travaux"],
             request={"is_request": True, "kind": "question", "service": "voirie"}),
        make("r3", at(17, 15), kind="comment", parent_id=doc_id("p2"), thread_id=doc_id("p2"),
             text="Poubelles pas ramassées rue du Bourg", author={"handle": "voisin"},
             request={"is_request": True, "kind": "report", "service": "proprete"}),
        make("a1", at(17, 16), kind="comment", parent_id=doc_id("r3"), thread_id=doc_id("p2"), author=OWN,
             text="Merci, les services passent demain."),
        make("r4", at(17, 17), text="Dépôt sauvage signalé", topics=["proprete-dechets"],
             request={"is_request": True, "kind": "report", "service": "proprete", "answered": True}),
        make("h1", at(17, 18), text=HOSTILE + " " + LONG, url="javascript:alert(3)", platform="mastodon",
             source_kind="mastodon", author={"handle": "troll", "name": '<b onmouseover="x()">Troll</b>'},
             engagement={"likes": 500, "shares": 20, "replies": 10}, topics=["risques-crise"],
             sentiment={"label": "negative"}),
        make("art", at(17, 19), platform="rss", source_kind="feed", kind="article", title="Budget : les écoles d'abord",
             text=LONG, engagement={"likes": 40}),
    ]
    return docs + day


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for d in docs:
            handle.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path


def index_docs(client, watch_id: str, path: Path) -> None:
    from vigie.indexes.setup import install
    from vigie.indexes.writer import index_file

    install(client, [watch_id], names=names)
    report = index_file(client, path, watch_id=watch_id, names=names)
    assert not report.rejects, report.rejects[:3]


@pytest.fixture
def constructed(es, tmp_path):
    """The constructed documents indexed for watch ``testville``."""
    index_docs(es, "testville", write_jsonl(tmp_path / "docs.jsonl", constructed_docs()))
    return es



@pytest.fixture
def state(tmp_path, monkeypatch):
    path = tmp_path / "state"
    monkeypatch.setenv("VIGIE_STATE_DIR", str(path))
    return path


# --- SMTP on loopback ---------------------------------------------------------------------------

@pytest.fixture
def smtp_factory():
    """``smtp_factory(port, tls=…, starttls=…, users=…)``: a real aiosmtpd server (tests/smtp.py)."""
    yield from smtp_servers()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A private CA and a server certificate for localhost / 127.0.0.1, made at test time."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = tmp_path_factory.mktemp("tls")
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Vigie test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
          .not_valid_after(now + timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return {"ca": ca_path, "cert": cert_path, "key": key_path}


@pytest.fixture
def server_tls(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate["cert"], certificate["key"])
    return context
