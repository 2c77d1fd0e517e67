// kind-config-check reads a kind cluster config (kind.x-k8s.io/v1alpha4) from stdin and checks it
// against kind's own Go types, the way `kind create cluster --config -` would load it:
//
//  1. decode: the same strict decoder kind uses (sigs.k8s.io/kind/pkg/internal/apis/config/encoding,
//     load.go: go.yaml.in/yaml/v3 with KnownFields(true)) into the public
//     sigs.k8s.io/kind/pkg/apis/config/v1alpha4.Cluster, so an unknown or misspelt field is an error;
//  2. default: v1alpha4.SetDefaultsCluster, as kind's V1Alpha4ToInternal does;
//  3. validate: kind's internal Cluster.Validate cannot be imported (internal package), so its rules
//     are reproduced here on the public type, plus a parse of every kubeadmConfigPatches entry the
//     way kind's patch package reads them (sigs.k8s.io/yaml, matched on kind/apiVersion);
//  4. KartStream's rules (skipped with -kind-rules-only): patches name a kind and omit apiVersion,
//     worker patches are JoinConfiguration (workers run `kubeadm join`), node labels are ones the
//     kubelet accepts through --node-labels, and the input is a single YAML document.
//
// On success it prints the decoded, defaulted Cluster as JSON on stdout and exits 0. Otherwise it
// prints every problem on stderr and exits 1 (2 for a usage error).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"strings"

	yamlv3 "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"
)

const (
	wantAPIVersion = "kind.x-k8s.io/v1alpha4"
	wantKind       = "Cluster"
)

func main() {
	kindRulesOnly := flag.Bool("kind-rules-only", false,
		"apply only kind's own decoding and validation rules, not KartStream's")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: kind-config-check [-kind-rules-only] < kind-config.yaml")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail([]string{fmt.Sprintf("reading stdin: %v", err)})
	}
	cluster, problems := check(raw, !*kindRulesOnly)
	if len(problems) > 0 {
		fail(problems)
	}
	out, err := json.MarshalIndent(cluster, "", "  ")
	if err != nil {
		fail([]string{fmt.Sprintf("encoding JSON: %v", err)})
	}
	fmt.Println(string(out))
}

func fail(problems []string) {
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "kind-config-check: %s\n", p)
	}
	os.Exit(1)
}

// check decodes, defaults and validates raw; it returns the cluster or every problem found.
func check(raw []byte, kartstreamRules bool) (*v1alpha4.Cluster, []string) {
	cluster, err := decode(raw)
	if err != nil {
		return nil, []string{err.Error()}
	}
	v1alpha4.SetDefaultsCluster(cluster)
	problems := validateKind(cluster)
	if kartstreamRules {
		problems = append(problems, validateKartStream(raw, cluster)...)
	}
	return cluster, problems
}

// decode mirrors kind's encoding.Parse: read kind/apiVersion leniently, then decode strictly.
func decode(raw []byte) (*v1alpha4.Cluster, error) {
	var tm struct {
		Kind       string `yaml:"kind,omitempty"`
		APIVersion string `yaml:"apiVersion,omitempty"`
	}
	if err := yamlv3.Unmarshal(raw, &tm); err != nil {
		return nil, fmt.Errorf("could not determine kind / apiVersion for config: %v", err)
	}
	if tm.APIVersion != wantAPIVersion {
		return nil, fmt.Errorf("unknown apiVersion: %s", tm.APIVersion)
	}
	if tm.Kind != wantKind {
		return nil, fmt.Errorf("unknown kind %s for apiVersion: %s", tm.Kind, tm.APIVersion)
	}
	cluster := &v1alpha4.Cluster{}
	d := yamlv3.NewDecoder(bytes.NewReader(raw))
	d.KnownFields(true) // unknown fields are errors, exactly as in kind's yamlUnmarshalStrict
	if err := d.Decode(cluster); err != nil {
		return nil, fmt.Errorf("unable to decode config: %v", err)
	}
	return cluster, nil
}

// The rules of kind's internal config.Cluster.Validate / Node.Validate
// (pkg/internal/apis/config/validate.go), applied to the public type after defaulting.
var validNameRE = regexp.MustCompile(`^[a-z0-9.-]+$`)

func validateKind(c *v1alpha4.Cluster) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	// kind defaults an empty name to "kind" (or takes --name) before validating.
	if c.Name != "" && !validNameRE.MatchString(c.Name) {
		add("'%s' is not a valid cluster name, cluster names must match `%s`", c.Name, validNameRE)
	}
	if c.Networking.APIServerPort != 0 {
		if err := validatePort(c.Networking.APIServerPort); err != nil {
			add("invalid apiServerPort: %v", err)
		}
	}
	switch c.Networking.IPFamily {
	case v1alpha4.IPv4Family, v1alpha4.IPv6Family, v1alpha4.DualStackFamily:
	default:
		add("invalid ipFamily: %s", c.Networking.IPFamily)
	}
	if err := validateSubnets(c.Networking.PodSubnet, c.Networking.IPFamily); err != nil {
		add("invalid pod subnet %v", err)
	}
	if err := validateSubnets(c.Networking.ServiceSubnet, c.Networking.IPFamily); err != nil {
		add("invalid service subnet %v", err)
	}
	switch c.Networking.KubeProxyMode {
	case v1alpha4.IPTablesProxyMode, v1alpha4.IPVSProxyMode, v1alpha4.NFTablesProxyMode, "none":
	default:
		add("invalid kubeProxyMode: %s", c.Networking.KubeProxyMode)
	}

	controlPlanes := 0
	for i, n := range c.Nodes {
		for _, err := range validateNode(n) {
			add("invalid configuration for node %d: %v", i, err)
		}
		if n.Role == v1alpha4.ControlPlaneRole {
			controlPlanes++
		}
	}
	if controlPlanes < 1 {
		add("must have at least one %s node", v1alpha4.ControlPlaneRole)
	}

	// kind parses every patch when it creates the cluster (pkg/internal/patch); a patch that does
	// not parse would only fail there, so catch it now.
	for i, p := range c.KubeadmConfigPatches {
		if _, err := parsePatch(p); err != nil {
			add("invalid kubeadmConfigPatches[%d]: %v", i, err)
		}
	}
	for i, n := range c.Nodes {
		for j, p := range n.KubeadmConfigPatches {
			if _, err := parsePatch(p); err != nil {
				add("invalid configuration for node %d: invalid kubeadmConfigPatches[%d]: %v", i, j, err)
			}
		}
	}
	return problems
}

func validateNode(n v1alpha4.Node) []error {
	var errs []error
	switch n.Role {
	case v1alpha4.ControlPlaneRole, v1alpha4.WorkerRole:
	default:
		errs = append(errs, fmt.Errorf("%q is not a valid node role", n.Role))
	}
	if n.Image == "" {
		errs = append(errs, errors.New("image is a required field"))
	}
	for _, m := range n.ExtraPortMappings {
		if err := validatePort(m.HostPort); err != nil {
			errs = append(errs, fmt.Errorf("invalid hostPort: %v", err))
		}
		if err := validatePort(m.ContainerPort); err != nil {
			errs = append(errs, fmt.Errorf("invalid containerPort: %v", err))
		}
		// Already enforced by PortMapping.UnmarshalYAML; repeated for configs built another way.
		switch m.Protocol {
		case "", v1alpha4.PortMappingProtocolTCP, v1alpha4.PortMappingProtocolUDP, v1alpha4.PortMappingProtocolSCTP:
		default:
			errs = append(errs, fmt.Errorf("unknown PortMappingProtocol: %q", m.Protocol))
		}
	}
	if err := validatePortMappings(n.ExtraPortMappings); err != nil {
		errs = append(errs, fmt.Errorf("invalid portMapping: %v", err))
	}
	for _, m := range n.ExtraMounts {
		switch m.Propagation {
		case "", v1alpha4.MountPropagationNone, v1alpha4.MountPropagationHostToContainer, v1alpha4.MountPropagationBidirectional:
		default:
			errs = append(errs, fmt.Errorf("unknown MountPropagation: %q", m.Propagation))
		}
	}
	return errs
}

func validatePort(port int32) error {
	// -1 lets the container runtime pick the port.
	if port < -1 || port > 65535 {
		return fmt.Errorf("invalid port number: %d", port)
	}
	return nil
}

// Two mappings may not bind the same host address, port and protocol (a wildcard address
// conflicts with every address); host port 0 and -1 are random, so they never conflict.
func validatePortMappings(mappings []v1alpha4.PortMapping) error {
	wildcard := net.ParseIP("0.0.0.0")
	bound := map[string]map[string]bool{}
	for _, m := range mappings {
		if m.HostPort == -1 || m.HostPort == 0 {
			continue
		}
		addr := net.ParseIP(m.ListenAddress)
		if m.ListenAddress == "" {
			addr = wildcard
		}
		if addr == nil {
			return fmt.Errorf("invalid listen address: %s", m.ListenAddress)
		}
		if addr.Equal(net.ParseIP("::")) {
			addr = wildcard
		}
		key := fmt.Sprintf("%d/%s", m.HostPort, m.Protocol)
		dup := fmt.Errorf("port mapping with same listen address, port and protocol already configured: %s:%s", addr, key)
		addrs, seen := bound[key]
		if !seen {
			addrs = map[string]bool{}
			bound[key] = addrs
		}
		if seen && (addr.Equal(wildcard) && len(addrs) > 0 || addrs[addr.String()] || addrs[wildcard.String()]) {
			return dup
		}
		addrs[addr.String()] = true
	}
	return nil
}

func validateSubnets(subnets string, family v1alpha4.ClusterIPFamily) error {
	var cidrs []*net.IPNet
	for _, s := range strings.Split(subnets, ",") {
		_, cidr, err := net.ParseCIDR(s)
		if err != nil {
			return fmt.Errorf("failed to parse cidr value:%q with error: %v", s, err)
		}
		cidrs = append(cidrs, cidr)
	}
	dual := family == v1alpha4.DualStackFamily
	switch {
	case dual && len(cidrs) > 2:
		return errors.New("expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking")
	case dual && len(cidrs) == 2:
		v4 := cidrs[0].IP.To4() != nil || cidrs[1].IP.To4() != nil
		v6 := cidrs[0].IP.To4() == nil || cidrs[1].IP.To4() == nil
		if !v4 || !v6 {
			return errors.New("expected one (IPv4 or IPv6) CIDR or two CIDRs from each family for dual-stack networking")
		}
	case !dual && len(cidrs) > 1:
		return errors.New("only one CIDR allowed for single-stack networking")
	case family == v1alpha4.IPv4Family && cidrs[0].IP.To4() == nil:
		return errors.New("expected IPv4 CIDR for IPv4 family")
	case family == v1alpha4.IPv6Family && cidrs[0].IP.To4() != nil:
		return errors.New("expected IPv6 CIDR for IPv6 family")
	}
	return nil
}

// A kubeadm config patch document, as kind reads it: matched on kind/apiVersion, applied as JSON.
type patchDoc struct {
	Kind       string
	APIVersion string
	Body       map[string]any
}

// parsePatch splits a patch into YAML documents (on "\n---", as kind's splitYAMLDocuments does)
// and parses each one with sigs.k8s.io/yaml, as kind's parseMergePatches does.
func parsePatch(raw string) ([]patchDoc, error) {
	var docs []patchDoc
	for _, text := range splitYAMLDocuments(raw) {
		var match struct {
			Kind       string `json:"kind,omitempty"`
			APIVersion string `json:"apiVersion,omitempty"`
		}
		if err := yaml.Unmarshal([]byte(text), &match); err != nil {
			return nil, fmt.Errorf("failed to parse type meta for %q: %v", text, err)
		}
		body := map[string]any{}
		if err := yaml.Unmarshal([]byte(text), &body); err != nil {
			return nil, fmt.Errorf("failed to parse %q as a YAML mapping: %v", text, err)
		}
		docs = append(docs, patchDoc{Kind: match.Kind, APIVersion: match.APIVersion, Body: body})
	}
	return docs, nil
}

func splitYAMLDocuments(stream string) []string {
	var docs []string
	var current []string
	scanner := bufio.NewScanner(strings.NewReader(stream))
	scanner.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	flush := func() {
		if doc := strings.Join(current, "\n"); strings.TrimSpace(doc) != "" {
			docs = append(docs, doc)
		}
		current = nil
	}
	for scanner.Scan() {
		line := scanner.Text()
		if strings.HasPrefix(line, "---") {
			flush()
			continue
		}
		current = append(current, line)
	}
	flush()
	return docs
}

// KartStream's rules, from kind's documentation and known issues (docs/research: kind section).
func validateKartStream(raw []byte, c *v1alpha4.Cluster) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	// kind decodes only the first YAML document of a config and silently drops the rest.
	d := yamlv3.NewDecoder(bytes.NewReader(raw))
	var first, second yamlv3.Node
	if err := d.Decode(&first); err == nil {
		if err := d.Decode(&second); err != io.EOF {
			add("the config holds more than one YAML document: kind reads only the first")
		}
	}

	checkPatches := func(where string, patches []string, worker bool) {
		for j, p := range patches {
			docs, err := parsePatch(p)
			if err != nil {
				continue // already reported by validateKind
			}
			for _, doc := range docs {
				at := fmt.Sprintf("%skubeadmConfigPatches[%d]", where, j)
				if doc.Kind == "" {
					add("%s: a patch must name its kind, or kind matches it to nothing", at)
				}
				// A patch without apiVersion applies to whichever kubeadm API version kind uses
				// (v1beta3 before Kubernetes 1.36, v1beta4 from 1.36).
				if doc.APIVersion != "" {
					add("%s: %s patch sets apiVersion %q; omit it so it applies to every kubeadm API version", at, doc.Kind, doc.APIVersion)
				}
				// Workers run `kubeadm join`: only a JoinConfiguration patch reaches them.
				if worker && doc.Kind != "" && doc.Kind != "JoinConfiguration" {
					add("%s: a worker runs kubeadm join, so a %s patch is ignored there; use kind: JoinConfiguration", at, doc.Kind)
				}
				// node-labels in a patch replaces the --node-labels kind builds from `labels`.
				if reg, ok := doc.Body["nodeRegistration"].(map[string]any); ok {
					if args, ok := reg["kubeletExtraArgs"].(map[string]any); ok {
						if _, ok := args["node-labels"]; ok {
							add("%s: kubeletExtraArgs.node-labels replaces the labels kind sets from the node's `labels`; use `labels`", at)
						}
					}
				}
			}
		}
	}
	checkPatches("", c.KubeadmConfigPatches, false)
	for i, n := range c.Nodes {
		checkPatches(fmt.Sprintf("node %d: ", i), n.KubeadmConfigPatches, n.Role == v1alpha4.WorkerRole)
		for key, value := range n.Labels {
			if err := validateLabel(key, value); err != nil {
				add("node %d: label %q: %v", i, key, err)
			}
		}
	}
	return problems
}

var (
	labelNameRE   = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	labelPrefixRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	// Labels the kubelet may set on its own Node in the kubernetes.io / k8s.io namespaces
	// (k8s.io/kubelet/pkg/apis: KubeletLabels and the kubelet.kubernetes.io / node.kubernetes.io
	// namespaces); any other key there makes the kubelet exit.
	kubeletAllowedLabels = map[string]bool{
		"kubernetes.io/hostname":                   true,
		"kubernetes.io/arch":                       true,
		"kubernetes.io/os":                         true,
		"beta.kubernetes.io/arch":                  true,
		"beta.kubernetes.io/os":                    true,
		"beta.kubernetes.io/instance-type":         true,
		"node.kubernetes.io/instance-type":         true,
		"failure-domain.beta.kubernetes.io/region": true,
		"failure-domain.beta.kubernetes.io/zone":   true,
		"topology.kubernetes.io/region":            true,
		"topology.kubernetes.io/zone":              true,
	}
)

// validateLabel checks a node label is a valid Kubernetes label and one the kubelet accepts in
// --node-labels, which is where kind puts a node's `labels`.
func validateLabel(key, value string) error {
	prefix, name := "", key
	if i := strings.LastIndex(key, "/"); i >= 0 {
		prefix, name = key[:i], key[i+1:]
		if prefix == "" || len(prefix) > 253 || !labelPrefixRE.MatchString(prefix) {
			return fmt.Errorf("prefix %q is not a DNS subdomain", prefix)
		}
	}
	if len(name) > 63 || !labelNameRE.MatchString(name) {
		return fmt.Errorf("name %q is not a valid label name", name)
	}
	if value != "" && (len(value) > 63 || !labelNameRE.MatchString(value)) {
		return fmt.Errorf("value %q is not a valid label value", value)
	}
	if (inNamespace(prefix, "kubernetes.io") || inNamespace(prefix, "k8s.io")) && !kubeletAllowedLabels[key] &&
		!inNamespace(prefix, "kubelet.kubernetes.io") && !inNamespace(prefix, "node.kubernetes.io") {
		return errors.New("the kubelet refuses to set labels in the kubernetes.io / k8s.io namespaces " +
			"(other than kubelet.kubernetes.io and node.kubernetes.io): use a key of your own, e.g. pool")
	}
	return nil
}

// inNamespace reports whether a label prefix is domain or one of its subdomains.
func inNamespace(prefix, domain string) bool {
	return prefix == domain || strings.HasSuffix(prefix, "."+domain)
}
