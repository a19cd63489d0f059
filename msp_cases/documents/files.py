"""What an uploaded file is, found from its content: the allowed types, the checks every file passes before
anything is stored, and images re-saved without their metadata.

The type comes from libmagic (python-magic) reading the first bytes, never from the name or the browser's
Content-Type; the name's extension must then be one of that type's, so a web page renamed `.pdf` or a
photo renamed `.txt` is refused. Names are generated for storage; the name the file came with is kept only
as display text."""

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

import magic
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

# How many bytes libmagic reads to decide (its own default reads up to 1 MB for some types; 256 KB is ample
# for every type allowed here and keeps a 20 MB upload from being read twice).
_SNIFF_BYTES = 256 * 1024


@dataclass(frozen=True)
class AllowedType:
    label: str
    extensions: tuple[str, ...]  # the first is the stored name's


ALLOWED_TYPES = {
    "application/pdf": AllowedType("PDF", (".pdf",)),
    "image/jpeg": AllowedType("JPEG image", (".jpg", ".jpeg")),
    "image/png": AllowedType("PNG image", (".png",)),
    "application/msword": AllowedType("Word document", (".doc",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": AllowedType(
        "Word document", (".docx",)
    ),
    "application/vnd.oasis.opendocument.text": AllowedType("OpenDocument text", (".odt",)),
    "text/plain": AllowedType("Text file", (".txt",)),
    "message/rfc822": AllowedType("Email", (".eml",)),
}
ALLOWED_EXTENSIONS = tuple(sorted({ext for t in ALLOWED_TYPES.values() for ext in t.extensions}))
ALLOWED_WORDS = "a PDF, JPG, PNG, Word or OpenDocument text document, text file or email (.eml)"
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}


class FileRefused(Exception):
    """Why one file cannot be kept, in the GOV.UK voice."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    display_name: str
    content_type: str
    extension: str
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def display_name(name: str) -> str:
    """The name as shown on the page: no control or invisible format characters, at most 150 characters,
    keeping the extension. Never used as a path."""
    cleaned = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(cleaned) > 150:
        suffix = PurePosixPath(cleaned).suffix[:10]
        cleaned = cleaned[: 150 - len(suffix)] + suffix
    return cleaned


def size_words(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def check_file(name: str, uploaded, *, max_bytes: int | None = None) -> CheckedFile:
    """Read and check one uploaded file (`name` is the name it came with, `uploaded` a Django UploadedFile
    or any object with `size` and `chunks()`/`read()`). `max_bytes` is DOCUMENT_MAX_BYTES unless a form
    allows less (the public form). Raises FileRefused."""
    if not name or "/" in name or "\\" in name or "\x00" in name:
        raise FileRefused(f"The file name “{display_name(name)}” must not contain / or \\")
    shown = display_name(name)
    max_bytes = max_bytes or settings.DOCUMENT_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > max_bytes:
        raise FileRefused(f"“{shown}” must be smaller than {size_words(max_bytes)}")
    content = _read(uploaded, max_bytes)
    if len(content) > max_bytes:
        raise FileRefused(f"“{shown}” must be smaller than {size_words(max_bytes)}")
    if not content:
        raise FileRefused(f"“{shown}” is empty")
    content_type = magic.from_buffer(content[:_SNIFF_BYTES], mime=True)
    extension = PurePosixPath(shown).suffix.lower()
    allowed = ALLOWED_TYPES.get(content_type)
    if allowed is None:
        raise FileRefused(f"“{shown}” must be {ALLOWED_WORDS}")
    if extension not in allowed.extensions:
        raise FileRefused(
            f"“{shown}” is not what its name says: its content is a {allowed.label}, not a "
            f"{extension or 'file with no extension'}. Check you selected the right file"
        )
    if content_type in IMAGE_TYPES:
        content = without_metadata(content, IMAGE_TYPES[content_type], shown)
    return CheckedFile(
        display_name=shown,
        content_type=content_type,
        extension=extension,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _read(uploaded, max_bytes: int) -> bytes:
    """The whole file, stopping one chunk past the limit (a size the client misreported cannot make the
    server read without end)."""
    buffer = io.BytesIO()
    chunks = uploaded.chunks() if hasattr(uploaded, "chunks") else iter([uploaded.read()])
    for chunk in chunks:
        buffer.write(chunk)
        if buffer.tell() > max_bytes:
            break
    return buffer.getvalue()


def without_metadata(content: bytes, image_format: str, shown: str) -> bytes:
    """The image re-saved with no EXIF (camera, time, GPS location), no XMP and no text chunks: Pillow writes
    only what it is given, so saving the pixels alone drops them. The EXIF orientation is applied to the
    pixels first, so a portrait photo stays upright."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if image_format == "JPEG":
                pixels = upright if upright.mode in ("RGB", "L", "CMYK") else upright.convert("RGB")
                pixels.save(out, format="JPEG", quality=92, optimize=True)
            else:
                upright.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise FileRefused(f"“{shown}” could not be read as an image. Check the file and try again") from exc
