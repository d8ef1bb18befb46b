"""Which parts make up which template (cloudformation/generate writes them).

| template                          | what it deploys                                                   |
| --------------------------------- | ----------------------------------------------------------------- |
| MAO-Analytics.yaml                | analytics account base: key, buckets, VPC, Aurora, security groups |
| A360-Analytics.yaml               | the base + the serverless receiver (Lambda on S3 events, daily)    |
| A360-Analytics-Custom-VPC.yaml    | the base + the EC2 receiver (t4g.micro, SSM, 03:00 UTC)            |
| MAO-PostgreSQL-EC2.yaml           | the base without Aurora + PostgreSQL on EC2 with the mao worker    |
| MAO-Sender.yaml                   | one sender account: read-only role, function, schedule             |
| MAO-Sender-StackSet.yaml          | MAO-Sender.yaml in every account of chosen OUs (organisation)      |
| MAO-QS-Migration.yaml             | imports the QuickSight bundle from quicksuite/                     |
"""

import parts

BASE_ENDPOINTS = ["kms", "secretsmanager", "logs", "sts"]
SSM_ENDPOINTS = ["ssm", "ssmmessages", "ec2messages"]


def analytics_base(endpoints, database=True, bucket_extra=None, bucket_depends=None):
    return [
        parts.account_metadata_parameters(),
        parts.analytics_parameters(),
        parts.network(endpoints),
        parts.kms_key(),
        parts.buckets(bucket_extra, bucket_depends),
        parts.security_groups(),
    ] + ([parts.aurora()] if database else [])


TEMPLATES = {
    "MAO-Analytics.yaml": (
        "MAO analytics account: KMS key, data and logs buckets, private VPC with endpoints, "
        "Aurora PostgreSQL Serverless v2, QuickSight security group",
        lambda: analytics_base(BASE_ENDPOINTS)),
    "A360-Analytics.yaml": (
        "MAO analytics account with the serverless receiver: mao-runner in Lambda on S3 events "
        "under data/ and a daily sweep",
        lambda: analytics_base(BASE_ENDPOINTS, bucket_extra=parts.s3_to_lambda_notification(),
                               bucket_depends="ReceiverS3Permission") + [parts.lambda_receiver()]),
    "A360-Analytics-Custom-VPC.yaml": (
        "MAO analytics account with the EC2 receiver: mao-runner on a t4g.micro reached through "
        "Systems Manager, run daily at 03:00 UTC",
        lambda: analytics_base(BASE_ENDPOINTS + SSM_ENDPOINTS) + [parts.ec2_receiver()]),
    "MAO-PostgreSQL-EC2.yaml": (
        "MAO analytics account with self-managed PostgreSQL on EC2: the mao extension's "
        "background worker drains the bucket",
        lambda: analytics_base(BASE_ENDPOINTS + SSM_ENDPOINTS, database=False) + [parts.postgres_ec2()]),
    "MAO-Sender.yaml": (
        "MAO sender account: read-only role for the collectors, mao-sender function and its schedule",
        lambda: [parts.sender_parameters(), parts.account_metadata_parameters(), parts.sender()]),
    "MAO-QS-Migration.yaml": (
        "MAO QuickSight migration: imports the asset bundle (data source, data sets, analysis)",
        lambda: [parts.qs_migration()]),
}

# Generated after the others: it embeds MAO-Sender.yaml.
STACKSET = ("MAO-Sender-StackSet.yaml",
            "MAO sender for a whole organisation: MAO-Sender.yaml as a service-managed StackSet "
            "(deploy in the management or a delegated administrator account)")
