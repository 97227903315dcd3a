"""Forms for editing a member's profile."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image

from accounts.models import User

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ProfileForm(forms.ModelForm[User]):
    """The fields a member edits on their own profile."""

    class Meta:
        model = User
        fields = User.PROFILE_FIELDS
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
            "avatar": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
            ),
        }
        help_texts = {
            "avatar": "PNG, JPEG, WebP or GIF, up to 2 MB. It is cropped to a square."
        }

    def clean_github_username(self) -> str:
        value: str = self.cleaned_data["github_username"].strip()
        return value.removeprefix("@").removeprefix("https://github.com/").strip("/")

    def clean_avatar(self) -> object:
        avatar = self.cleaned_data.get("avatar")
        if not isinstance(avatar, UploadedFile):
            return avatar  # unchanged, cleared, or empty
        if avatar.size and avatar.size > AVATAR_MAX_BYTES:
            raise forms.ValidationError(
                f"This image is {filesizeformat(avatar.size)}; the limit is "
                f"{filesizeformat(AVATAR_MAX_BYTES)}."
            )
        # Django's ImageField already checked that Pillow can read the file;
        # here the format and pixel count are held to what avatars need.
        image: Image.Image = avatar.image  # type: ignore[attr-defined]  # set by ImageField's validation
        if image.format not in AVATAR_FORMATS:
            raise forms.ValidationError("Upload a PNG, JPEG, WebP or GIF image.")
        width, height = image.size
        if width * height > AVATAR_MAX_PIXELS:
            raise forms.ValidationError("This image has too many pixels for an avatar.")
        return avatar
