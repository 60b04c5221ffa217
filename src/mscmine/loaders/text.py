"""Plain-text and Markdown files: encoding detected from the bytes, never from the extension."""

from __future__ import annotations

from ..errors import BinaryFileError, EmptyFileError, EncodingError

# Characters frequent in Chinese medical writing, in both scripts: a decoding that yields many
# of them is the right one (GB bytes decoded as Big5, or the reverse, yield rare characters).
_FREQUENT = set(
    "的一是在不了有和人中大为上个国以要时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    "十三之进着等部度家性于其治疗患者细胞干疾病研究临床移植组织免疫例月随访结果显示异体自体静脉注射输注骨髓脐带脂肪"
    "細胞幹疾療臨牀組織免疫異體靜脈輸註髓臍帶脂肪們這個國為說會對發動經學後時進來"
)


def _score(text: str) -> float:
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return 0.0
    return sum(c in _FREQUENT for c in han) / len(han)


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """(text, encoding name). UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, Big5."""
    if not data or not data.strip():
        raise EmptyFileError("the file is empty; nothing to read", path)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    head = data[:8192]
    if b"\x00" in head:
        raise BinaryFileError("binary content (NUL bytes); expected a text, PDF or HTML file", path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), enc, text))
    if not candidates:
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
        except Exception:  # pragma: no cover - defensive
            best = None
        if best is None:
            raise EncodingError("not UTF-8, GB18030 or Big5 text; convert it to UTF-8", path)
        return str(best), best.encoding
    score, enc, text = max(candidates)
    controls = sum(1 for c in text[:4000] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 4000):
        raise BinaryFileError("binary content (control characters); expected a text, PDF or HTML file", path)
    return text, enc


def text_from_bytes(data: bytes, path: str) -> tuple[str, str]:
    text, enc = decode_text(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyFileError("the file has no text", path)
    return text, enc
