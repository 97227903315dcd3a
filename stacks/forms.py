"""Forms for companies, their members, stacks and imports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from accounts.models import User
from scanner.limits import MAX_FILE_SIZE, MAX_IMPORT_SIZE, human_size
from stacks.models import NOTE_MAX_LENGTH, Company, Role, Stack
from tools.models import Tool

# What one import may bring; the scanner's limits (scanner/limits.py) say why
# these sizes: the largest real manifests are a few hundred KB, and the
# worst import within them costs about half a second of parsing.
MAX_UPLOAD_SIZE = MAX_FILE_SIZE
MAX_UPLOAD_TOTAL = MAX_IMPORT_SIZE
MAX_UPLOAD_FILES = 20
MAX_PASTE_LENGTH = 200_000
KIND_CHOICES = [
    ("", "Detect automatically"),
    ("requirements.txt", "requirements.txt"),
    ("pyproject.toml", "pyproject.toml"),
    ("Pipfile", "Pipfile"),
    ("package.json", "package.json"),
    ("composer.json", "composer.json"),
    ("Gemfile", "Gemfile"),
    ("go.mod", "go.mod"),
    ("Cargo.toml", "Cargo.toml"),
    ("pom.xml", "pom.xml"),
    ("build.gradle", "build.gradle"),
    ("Dockerfile", "Dockerfile"),
    ("docker-compose.yml", "docker-compose.yml"),
    ("GitHub workflow", "GitHub Actions workflow"),
    ("libs.versions.toml", "Gradle version catalog (libs.versions.toml)"),
    ("mix.exs", "mix.exs"),
    ("pubspec.yaml", "pubspec.yaml"),
    ("*.csproj", ".NET project (.csproj, .fsproj)"),
    ("SBOM", "SBOM (CycloneDX or SPDX JSON)"),
    ("schema.prisma", "schema.prisma"),
    ("*.tf", "Terraform (.tf)"),
    (".gitlab-ci.yml", ".gitlab-ci.yml"),
    ("techstack.yml", "techstack.yml (StackShare Stack File)"),
    ("stack file", "Stack file from stackshare-scan"),
]


class CompanyForm(forms.ModelForm[Company]):
    class Meta:
        model = Company
        fields = [
            "name",
            "tagline",
            "website",
            "industry",
            "size",
            "location",
            "description",
            "logo",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "logo": "A square PNG, JPEG or WebP; shown at up to 96 pixels.",
        }


class MemberAddForm(forms.Form):
    username = forms.CharField(
        label="User name",
        max_length=150,
        help_text="Their handle on the site, as in /users/<name>/.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)

    def clean_username(self) -> User:
        name = self.cleaned_data["username"].strip().lstrip("@")
        user = User.objects.filter(username__iexact=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"No member is called “{name[:40]}”.")
        return user


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class StackForm(forms.ModelForm[Stack]):
    class Meta:
        model = Stack
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AddToolForm(forms.Form):
    """The picker: a slug chosen in the autocomplete, else the name as typed."""

    tool = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)
    q = forms.CharField(label="Tool", max_length=100, required=False)
    note = forms.CharField(
        label="Why we use it", max_length=NOTE_MAX_LENGTH, required=False
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        slug = (data.get("tool") or "").strip().lower()
        typed = (data.get("q") or "").strip()
        tools = Tool.objects.approved()
        found = None
        if slug:
            found = tools.filter(slug=slug).first()
        if found is None and typed:
            found = (
                tools.filter(name__iexact=typed).first()
                or tools.filter(slug=typed.lower()).first()
            )
        if found is None:
            message = (
                f"No tool in the catalog is called “{typed[:60]}”. Pick one from the list."
                if typed
                else "Type a tool's name and pick it from the list."
            )
            self.add_error("tool", message)
        data["tool"] = found
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Why we use it", max_length=NOTE_MAX_LENGTH, required=False
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    """Manifests or a stack file, uploaded or pasted."""

    # A field; the form's metaclass moves it into base_fields, so it never
    # shadows the uploads (BaseForm.files) as mypy fears.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Upload files",
        required=False,
        help_text=(
            "A stack file from <code>stackshare-scan</code>, a <code>techstack.yml</code>, "
            "or manifests such as <code>requirements.txt</code>, <code>package.json</code> "
            f"and <code>go.mod</code>. Up to {MAX_UPLOAD_FILES} files of "
            f"{human_size(MAX_UPLOAD_SIZE)} each, {human_size(MAX_UPLOAD_TOTAL)} in all."
        ),
    )
    text = forms.CharField(
        label="Or paste one",
        required=False,
        max_length=MAX_PASTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label="What you pasted", choices=KIND_CHOICES, required=False
    )

    def clean_files(self) -> list[UploadedFile[bytes]]:
        files: list[UploadedFile[bytes]] = self.cleaned_data["files"]
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                f"Upload at most {MAX_UPLOAD_FILES} files at a time."
            )
        for upload in files:
            if upload.size and upload.size > MAX_UPLOAD_SIZE:
                raise forms.ValidationError(
                    f"{upload.name} has {human_size(upload.size)}; a manifest or stack "
                    f"file may have up to {human_size(MAX_UPLOAD_SIZE)}.",
                    code="too_big",
                )
        return files

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        text = data.get("text", "")
        if not data.get("files") and not text.strip():
            raise forms.ValidationError("Upload a file or paste one to import.")
        total = sum(upload.size or 0 for upload in data["files"])
        total += len(text.encode("utf-8", errors="replace"))
        if total > MAX_UPLOAD_TOTAL:
            raise forms.ValidationError(
                f"These files come to {human_size(total)}; one import reads up to "
                f"{human_size(MAX_UPLOAD_TOTAL)} in all. Upload the stack file from "
                "stackshare-scan, or fewer files at a time.",
                code="too_big",
            )
        return data

    @property
    def is_too_big(self) -> bool:
        """Whether it was refused for its size (answered with 413)."""
        return any(
            error.code == "too_big"
            for errors in self.errors.as_data().values()
            for error in errors
        )
