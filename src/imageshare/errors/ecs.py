"""Elastic Compute Service images and sharing, with the codes, statuses and texts of the ECS
API reference (DescribeImages, ModifyImageSharePermission); misspellings are the service's
own and kept, since scripts match on them. The share-account errors (InvalidAccount.*,
QuotaExceed.ShareImageUser, InvalidImageId.NotFound) live in imageshare.errors.images.

ClientError                                 400
  + DryRunOperation                         400 DryRunOperation
  + InvalidImageOwnerAlias                  400 InvalidImageOwnerAlias.ValueNotSupported
  + PublicImageNeedsOthers                  400 InvalidImageOwnerAlias.PublicImageUnsupported
  + ImageOwnerIdUnsupported                 400 InvalidOperation.ImageOwnerIdUnsupported
  + TagMismatch                             400 InvalidTag.Mismatch
  + TagCountExceeded                        400 InvalidTagCount
  + InstanceTypeNotSupported                400 InvalidInstanceType.ValueNotSupported
  + InvalidNetworkTypeFilter                400 InvalidFilterValue.NetworkType
  + InvalidGroup                            400 InvalidGroup.Malformed
x OperationDenied (imageshare.errors.ecd)   403
  + DeprecatedImageNotShareable             403 OperationDenied.InvalidImageStatus
  + ServiceKeyEncryptedImage                403 InvalidOperation.ServiceKeyEncryptedImageUnsupported
  + ImageIsPublic                           403 Image.Public
  + IsPublicConflict                        403 InvalidParameter.IsPublic
  + CommunityRegionUnsupported              403 CurrentRegion.NotSupportPublicImage
  + CommunityTermsNotSigned                 403 PublicImageAgreement.NotSigned
NotFound                                    404
  + FilterKeyNotFound                       404 InvalidFilterKey.NotFound
  + InvalidFilterValue                      404 InvalidFilterValue
  + InvalidUsage                            404 InvalidUsage
  + InvalidOSType                           404 InvalidOSType
  + InvalidArchitecture                     404 InvalidArchitecture
"""

from __future__ import annotations

from imageshare.errors import ClientError, NotFound
from imageshare.errors.ecd import OperationDenied

__all__ = [
    "DryRunOperation",
    "InvalidImageOwnerAlias",
    "PublicImageNeedsOthers",
    "ImageOwnerIdUnsupported",
    "TagMismatch",
    "TagCountExceeded",
    "InstanceTypeNotSupported",
    "InvalidNetworkTypeFilter",
    "InvalidGroup",
    "DeprecatedImageNotShareable",
    "ServiceKeyEncryptedImage",
    "ImageIsPublic",
    "IsPublicConflict",
    "CommunityRegionUnsupported",
    "CommunityTermsNotSigned",
    "FilterKeyNotFound",
    "InvalidFilterValue",
    "InvalidUsage",
    "InvalidOSType",
    "InvalidArchitecture",
]


class DryRunOperation(ClientError):
    """Not a failure: a DryRun request that passed every check answers this, changing nothing."""

    code = "DryRunOperation"
    message_template = "Request validation has been passed with DryRun flag set."


class InvalidImageOwnerAlias(ClientError):
    code = "InvalidImageOwnerAlias.ValueNotSupported"
    message_template = "The specified ImageOwnerAlias value is not supported."


class PublicImageNeedsOthers(ClientError):
    code = "InvalidImageOwnerAlias.PublicImageUnsupported"
    message_template = (
        "When querying images, the parameter ImageOwnerAlias should be others "
        "while specified parameter IsPublic is true."
    )


class ImageOwnerIdUnsupported(ClientError):
    code = "InvalidOperation.ImageOwnerIdUnsupported"
    message_template = (
        'The parameter "ImageOwnerId" is not supported in this context, it is only valid '
        "when querying shared images or community images."
    )


class TagMismatch(ClientError):
    code = "InvalidTag.Mismatch"
    message_template = "The specified Tag.n.Key and Tag.n.Value are not match."


class TagCountExceeded(ClientError):
    code = "InvalidTagCount"
    message_template = "The specified tags are beyond the permitted range."


class InstanceTypeNotSupported(ClientError):
    code = "InvalidInstanceType.ValueNotSupported"
    message_template = (
        "The specified instance type {instance_type} does not exist. "
        "You can use the DescribeInstanceTypes API to query the available instance types."
    )


class InvalidNetworkTypeFilter(ClientError):
    code = "InvalidFilterValue.NetworkType"
    message_template = "The specified networkType value in the Filter is invalid."


class InvalidGroup(ClientError):
    code = "InvalidGroup.Malformed"
    message_template = "The specified Group is wrongly formed."


class DeprecatedImageNotShareable(OperationDenied):
    code = "OperationDenied.InvalidImageStatus"
    message_template = "The specified image cannot be shared when it is deprecated."


class ServiceKeyEncryptedImage(OperationDenied):
    code = "InvalidOperation.ServiceKeyEncryptedImageUnsupported"
    message_template = (
        "The specified service key encrypted image is not supported for this operation. "
        "Please switch to a CMK (Customer Master Key) encrypted image and retry."
    )


class ImageIsPublic(OperationDenied):
    code = "Image.Public"
    message_template = "The specified image is public image."


class CommunityRegionUnsupported(OperationDenied):
    code = "CurrentRegion.NotSupportPublicImage"
    message_template = "Public image is not supported for current region."


class CommunityTermsNotSigned(OperationDenied):
    code = "PublicImageAgreement.NotSigned"
    message_template = 'The current account has not signed "Community Image Terms of Service".'


class IsPublicConflict(OperationDenied):
    code = "InvalidParameter.IsPublic"
    message_template = "The specified parameter IsPublic is conflicted with other parameters."


class FilterKeyNotFound(NotFound):
    code = "InvalidFilterKey.NotFound"
    message_template = "The specified Filter Key is not found."


class InvalidFilterValue(NotFound):
    code = "InvalidFilterValue"
    message_template = "The specified Filter Value is not valid."


class InvalidUsage(NotFound):
    code = "InvalidUsage"
    message_template = "The specified Usage is not valid."


class InvalidOSType(NotFound):
    code = "InvalidOSType"
    message_template = "The specified OSType is not valid."


class InvalidArchitecture(NotFound):
    code = "InvalidArchitecture"
    message_template = "The specified Architecture is not valid."
