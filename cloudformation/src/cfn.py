"""Small helpers for writing CloudFormation templates as Python data.

Intrinsic functions are written in their long form (``{"Ref": ...}``,
``{"Fn::Sub": ...}``) so that the YAML the generator writes needs no custom
tags.  ``to_yaml`` is a plain emitter for the subset of YAML we need (maps,
lists, scalars, block literals for multi-line strings); it needs nothing
beyond the Python standard library.
"""

import json
import re


def ref(name):
    return {"Ref": name}


def sub(text, variables=None):
    return {"Fn::Sub": [text, variables] if variables else text}


def getatt(resource, attribute):
    return {"Fn::GetAtt": [resource, attribute]}


def if_(condition, yes, no):
    return {"Fn::If": [condition, yes, no]}


def join(sep, items):
    return {"Fn::Join": [sep, items]}


def select(index, items):
    return {"Fn::Select": [index, items]}


NO_VALUE = {"Ref": "AWS::NoValue"}


def arn(service, rest):
    """An ARN in this stack's partition, e.g. arn("s3", ":::bucket")."""
    return sub("arn:${AWS::Partition}:" + service + rest)


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def statement(sid, actions, resources, effect="Allow", condition=None, principal=None):
    s = {"Sid": sid, "Effect": effect}
    if principal is not None:
        s["Principal"] = principal
    s["Action"] = sorted(actions) if isinstance(actions, (list, tuple)) else actions
    s["Resource"] = resources
    if condition:
        s["Condition"] = condition
    return s


def role(description, service, statements, managed=(), name_sid="Policy"):
    """An IAM role assumable by one AWS service, with one inline policy."""
    props = {
        "Description": description,
        "AssumeRolePolicyDocument": policy({
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole",
        }),
        "Policies": [{"PolicyName": name_sid, "PolicyDocument": policy(*statements)}],
    }
    if managed:
        props["ManagedPolicyArns"] = list(managed)
    return {"Type": "AWS::IAM::Role", "Properties": props}


def managed_policy(name):
    return sub("arn:${AWS::Partition}:iam::aws:policy/" + name)


def tags(name):
    """Name, stack and the account's descriptive settings (the parameters
    every template with tagged resources has)."""
    return [{"Key": "Name", "Value": sub("${AWS::StackName}-" + name)},
            {"Key": "mao:stack", "Value": ref("AWS::StackName")},
            {"Key": "mao:category", "Value": ref("Category")},
            {"Key": "mao:customer", "Value": ref("CustomerName")},
            {"Key": "mao:environment", "Value": ref("Environment")},
            {"Key": "mao:partner", "Value": ref("PartnerName")},
            {"Key": "mao:product", "Value": ref("ProductName")}]


# --------------------------------------------------------------------------
# YAML output

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./:\-]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _scalar(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if _PLAIN.match(value) and value.lower() not in _RESERVED and not value.endswith(":"):
        return value
    return json.dumps(value, ensure_ascii=False)


def _block(text, indent):
    """A literal block scalar; the text's own line breaks are kept."""
    pad = " " * indent
    head, body = ("|", text[:-1]) if text.endswith("\n") else ("|-", text)
    if body.endswith("\n") or body.startswith(" "):
        raise ValueError("block text must not start with a space or end with blank lines")
    return head + "\n" + "".join((pad + line if line else "") + "\n" for line in body.split("\n"))


def _emit(value, indent, out):
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            k = _scalar(key)
            if isinstance(item, dict) and item:
                out.append(f"{pad}{k}:\n")
                _emit(item, indent + 2, out)
            elif isinstance(item, list) and item:
                out.append(f"{pad}{k}:\n")
                _emit(item, indent + 2, out)
            elif isinstance(item, str) and "\n" in item:
                out.append(f"{pad}{k}: " + _block(item, indent + 2))
            else:
                out.append(f"{pad}{k}: {_inline(item)}\n")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                sub_out = []
                _emit(item, indent + 2, sub_out)
                first = sub_out[0]
                sub_out[0] = pad + "- " + first[indent + 2:]
                out.extend(sub_out)
            elif isinstance(item, list) and item:
                out.append(f"{pad}-\n")
                _emit(item, indent + 2, out)
            elif isinstance(item, str) and "\n" in item:
                out.append(f"{pad}- " + _block(item, indent + 2))
            else:
                out.append(f"{pad}- {_inline(item)}\n")
    else:
        out.append(pad + _inline(value) + "\n")


def _inline(value):
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def to_yaml(template, header=""):
    out = [header] if header else []
    _emit(template, 0, out)
    return "".join(out)
