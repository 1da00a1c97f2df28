"""ECS instances, disks and snapshots, with the codes, statuses and texts of the ECS API
reference. InvalidInstanceId.NotFound and InvalidDiskId.NotFound live in
imageshare.errors.images (shared with SWAS).

ClientError                                 400
  + InvalidNextToken                        400 InValidParameter.NextToken
x OperationDenied (imageshare.errors.ecd)   403
  + IncorrectInstanceStatus                 403 IncorrectInstanceStatus
  + ImageUsingByInstance                    403 ImageUsingByInstance
  + SnapshotCreatedImage                    403 SnapshotCreatedImage
  + ImageNotSupportInstanceType             403 ImageNotSupportInstanceType
NotFound                                    404
  + SnapshotNotFound                        404 InvalidSnapshotId.NotFound
"""

from __future__ import annotations

from imageshare.errors import ClientError, NotFound
from imageshare.errors.ecd import OperationDenied

__all__ = [
    "InvalidNextToken",
    "IncorrectInstanceStatus",
    "ImageUsingByInstance",
    "SnapshotCreatedImage",
    "ImageNotSupportInstanceType",
    "SnapshotNotFound",
]

# ECS's text for InvalidDiskId.NotFound (SWAS words it differently).
DISK_MISSING = "The specified disk does not exist."


class InvalidNextToken(ClientError):
    # ECS spells it with a capital V (DescribeSecurityGroups' reference).
    code = "InValidParameter.NextToken"
    message_template = "The parameter NextToken is invalid."


class IncorrectInstanceStatus(OperationDenied):
    code = "IncorrectInstanceStatus"
    message_template = "The current status of the resource does not support this operation."


class ImageUsingByInstance(OperationDenied):
    code = "ImageUsingByInstance"
    message_template = (
        "The specified image has been used to create instances. You can use the "
        "DescribeInstances API to query these instances, or you can use the force parameter "
        "to proceed."
    )


class SnapshotCreatedImage(OperationDenied):
    code = "SnapshotCreatedImage"
    message_template = "The snapshot has been used to create user defined image."


class ImageNotSupportInstanceType(OperationDenied):
    """RunInstances with an image of another architecture than the instance type's (an arm64
    image on an x86 type, or the reverse)."""

    code = "ImageNotSupportInstanceType"
    message_template = "The specified image does not support the specified InstanceType."


class SnapshotNotFound(NotFound):
    code = "InvalidSnapshotId.NotFound"
    message_template = "The specified SnapshotId does not exist."
