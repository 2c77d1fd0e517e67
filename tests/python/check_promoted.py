#!/usr/bin/env python3
"""Independent check of a promoted lab, with boto3 (not the SDK KartStream uses).

Reads what exists for a lab in a region -- VPC, subnets by tier and AZ, internet gateway, NAT
gateways, route tables, security groups, the lab's IAM roles and their attached policies, the
bastion, the EKS cluster and its node groups -- and prints it as one JSON document on stdout.
The tests assert on that JSON; this script asserts only what holds for every lab, and exits 1
with the reason when that fails.

Usage: check_promoted.py --endpoint URL --region R --lab NAME
"""
import argparse
import json
import sys

import boto3

LAB_TAG = "kartstream:lab"


def tags_of(resource):
    return {t["Key"]: t["Value"] for t in resource.get("Tags", []) or []}


def logical_tier(tags):
    logical = tags.get("aws:cloudformation:logical-id", "")
    for tier in ("public", "private", "data"):
        if logical.lower().startswith(tier):
            return tier
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--lab", required=True)
    args = parser.parse_args()
    kw = dict(endpoint_url=args.endpoint, region_name=args.region)
    ec2 = boto3.client("ec2", **kw)
    iam = boto3.client("iam", **kw)
    eks = boto3.client("eks", **kw)
    lab = [{"Name": f"tag:{LAB_TAG}", "Values": [args.lab]}]

    vpcs = ec2.describe_vpcs(Filters=lab)["Vpcs"]
    subnets = ec2.describe_subnets(Filters=lab)["Subnets"]
    tier_of = {s["SubnetId"]: tags_of(s).get("kartstream:tier") for s in subnets}
    by_tier = {}
    for s in subnets:
        by_tier.setdefault(tier_of[s["SubnetId"]], []).append(
            {
                "id": s["SubnetId"],
                "az": s["AvailabilityZone"],
                "cidr": s["CidrBlock"],
                "vpc": s["VpcId"],
                "mapPublicIp": s.get("MapPublicIpOnLaunch", False),
            }
        )

    igws = [
        {"id": g["InternetGatewayId"], "attachedTo": [a["VpcId"] for a in g.get("Attachments", [])]}
        for g in ec2.describe_internet_gateways(Filters=lab)["InternetGateways"]
    ]
    nats = [
        {"id": n["NatGatewayId"], "state": n["State"], "subnetTier": tier_of.get(n["SubnetId"])}
        for n in ec2.describe_nat_gateways(Filters=lab)["NatGateways"]
        # moto ignores the tag filter of DescribeNatGateways: check the tag here.
        if n["State"] != "deleted" and tags_of(n).get(LAB_TAG) == args.lab
    ]

    tables = []
    for t in ec2.describe_route_tables(Filters=lab)["RouteTables"]:
        default = next((r for r in t["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"), None)
        target = None
        if default:
            target = "igw" if default.get("GatewayId", "").startswith("igw-") else (
                "nat" if default.get("NatGatewayId") else "other")
        tables.append(
            {
                "id": t["RouteTableId"],
                # moto's CloudFormation drops a route table's own tags: fall back to its logical id.
                "tier": tags_of(t).get("kartstream:tier") or logical_tier(tags_of(t)),
                "defaultRoute": target,
                # Empty on moto: its CloudFormation keeps subnet associations out of DescribeRouteTables.
                "subnetTiers": sorted(tier_of.get(a.get("SubnetId")) for a in t["Associations"] if a.get("SubnetId")),
            }
        )

    groups = [
        {
            "id": g["GroupId"],
            "ingress": [
                {"from": p.get("FromPort"), "to": p.get("ToPort"), "cidrs": [r["CidrIp"] for r in p.get("IpRanges", [])]}
                for p in g.get("IpPermissions", [])
            ],
        }
        for g in ec2.describe_security_groups(Filters=lab)["SecurityGroups"]
    ]
    ssh_open = any(
        (p["from"] is None or p["from"] <= 22 <= (p["to"] if p["to"] is not None else 65535)) and "0.0.0.0/0" in p["cidrs"]
        for g in groups for p in g["ingress"]
    )

    roles = []
    for r in iam.list_roles(PathPrefix="/kartstream/")["Roles"]:
        rtags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=r["RoleName"])["Tags"]}
        if rtags.get(LAB_TAG) != args.lab:
            continue
        doc = r["AssumeRolePolicyDocument"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        roles.append(
            {
                "name": r["RoleName"],
                "trusts": sorted(s["Principal"]["Service"] for s in doc["Statement"]),
                "policies": sorted(
                    p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=r["RoleName"])["AttachedPolicies"]
                ),
            }
        )

    instances = [
        {
            "id": i["InstanceId"],
            "state": i["State"]["Name"],
            "subnetTier": tier_of.get(i.get("SubnetId")),
            "instanceProfile": bool(i.get("IamInstanceProfile")),
        }
        for res in ec2.describe_instances(Filters=lab)["Reservations"]
        for i in res["Instances"]
        if i["State"]["Name"] != "terminated"
    ]

    cluster = None
    nodegroups = []
    for name in eks.list_clusters()["clusters"]:
        c = eks.describe_cluster(name=name)["cluster"]
        if c.get("tags", {}).get(LAB_TAG) != args.lab:
            continue
        cluster = {"name": name, "status": c["status"], "version": c["version"], "roleArn": c["roleArn"],
                   "subnetTiers": sorted(tier_of.get(s) for s in c["resourcesVpcConfig"]["subnetIds"])}
        for ng_name in eks.list_nodegroups(clusterName=name)["nodegroups"]:
            ng = eks.describe_nodegroup(clusterName=name, nodegroupName=ng_name)["nodegroup"]
            nodegroups.append(
                {
                    "name": ng_name,
                    "status": ng["status"],
                    "instanceTypes": ng.get("instanceTypes", []),
                    "labels": ng.get("labels", {}),
                    "taints": ng.get("taints", []),
                    "scaling": ng["scalingConfig"],
                    "subnetTiers": sorted(set(tier_of.get(s) for s in ng["subnets"])),
                    "nodeRole": ng["nodeRole"],
                }
            )

    report = {
        "vpcs": [{"id": v["VpcId"], "cidr": v["CidrBlock"]} for v in vpcs],
        "subnets": by_tier,
        "azsByTier": {tier: sorted(set(s["az"] for s in items)) for tier, items in by_tier.items()},
        "internetGateways": igws,
        "natGateways": nats,
        "routeTables": tables,
        "securityGroups": groups,
        "sshOpenToTheWorld": ssh_open,
        "roles": roles,
        "instances": instances,
        "cluster": cluster,
        "nodegroups": sorted(nodegroups, key=lambda n: n["name"]),
    }
    report["taggedCount"] = (
        len(vpcs) + len(subnets) + len(igws) + len(nats) + len(tables) + len(groups) + len(roles) + len(instances)
        + (1 if cluster else 0)
    )
    print(json.dumps(report, indent=2, sort_keys=True))

    # What holds for every lab, promoted or destroyed.
    if report["sshOpenToTheWorld"]:
        print("a security group of the lab opens SSH to 0.0.0.0/0", file=sys.stderr)
        return 1
    for ng in nodegroups:
        pool = ng["labels"].get("pool")
        if pool != ng["name"] or {"key": "pool", "value": pool, "effect": "NO_SCHEDULE"} not in ng["taints"]:
            print(f"node group {ng['name']} lacks label/taint pool={ng['name']}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
