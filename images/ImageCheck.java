import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks one image that {@code jib:buildTar} wrote against its sources of truth: the Jib block of the
 * root pom (user, JVM flags, labels), the service pom ({@code jib.ports}) and the chart (pod user,
 * container ports). Run as a single-file program (JDK >= 22 needs no compile step):
 * {@code java images/ImageCheck.java SERVICE IMAGE_DIR ROOTFS REPO_ROOT}, where IMAGE_DIR holds the
 * extracted image archive and ROOTFS its layers unpacked in order. Exit status 1 lists every failure.
 */
public class ImageCheck {

    private static final List<String> failures = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String service = args[0];
        Path imageDir = Path.of(args[1]);
        Path rootfs = Path.of(args[2]);
        Path repo = Path.of(args[3]);

        Element jib = jibConfiguration(repo.resolve("pom.xml"));
        Element container = child(jib, "container");
        Element servicePom = parse(repo.resolve(service).resolve("pom.xml"));
        // the image tag: one property in the root pom, which the chart's appVersion must match
        String imageTag = text(child(child(parse(repo.resolve("pom.xml")), "properties"), "image.tag"));
        String chart = Files.readString(repo.resolve("helm/cumsum-autoscale/Chart.yaml"));
        expect("Chart.yaml appVersion vs pom image.tag", imageTag, chart.lines()
                .filter(l -> l.startsWith("appVersion:")).map(l -> l.substring(11).trim().replace("\"", ""))
                .findFirst().orElse(""));

        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = (Map<String, Object>) ((List<Object>) Json.parse(
                Files.readString(imageDir.resolve("manifest.json")))).get(0);
        Map<String, Object> image = map(Json.parse(Files.readString(imageDir.resolve((String) manifest.get("Config")))));
        Map<String, Object> config = map(image.get("config"));

        // user: the pom's value, and the numeric uid:gid the chart runs the pod as
        String user = (String) config.get("User");
        expect("User", text(child(container, "user")), user);
        String values = Files.readString(repo.resolve("helm/cumsum-autoscale/values.yaml"));
        expect("User vs chart podSecurity", chartValue(values, "runAsUser") + ":" + chartValue(values, "runAsGroup"), user);

        // ports: exactly the service's jib.ports, and the same set the chart's containers declare (read from
        // the chart's default render in k8s/, which PlainManifestsTest keeps equal to the chart)
        TreeSet<String> exposed = new TreeSet<>(map(config.getOrDefault("ExposedPorts", Map.of())).keySet());
        TreeSet<String> fromPom = new TreeSet<>();
        for (String port : text(child(child(servicePom, "properties"), "jib.ports")).split(",")) {
            fromPom.add(port.trim() + "/tcp");
        }
        expect("ExposedPorts", fromPom, exposed);
        TreeSet<String> fromChart = new TreeSet<>();
        Matcher ports = Pattern.compile("containerPort:\\s*(\\d+)")
                .matcher(Files.readString(repo.resolve("k8s/" + service + ".yaml")));
        while (ports.find()) {
            fromChart.add(ports.group(1) + "/tcp");
        }
        expect("ExposedPorts vs chart containerPorts", fromChart, exposed);

        // entrypoint: java <the pom's JVM flags> -cp @<classpath file> <main class>
        List<String> entrypoint = strings(config.get("Entrypoint"));
        List<String> flags = new ArrayList<>();
        for (Node n = child(container, "jvmFlags").getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                flags.add(text(e));
            }
        }
        check(entrypoint.size() == flags.size() + 4, "Entrypoint has " + entrypoint.size()
                + " elements, expected java + " + flags.size() + " JVM flags + -cp @file + main class: " + entrypoint);
        if (entrypoint.size() == flags.size() + 4) {
            expect("Entrypoint[0]", "java", entrypoint.get(0));
            expect("Entrypoint JVM flags", flags, entrypoint.subList(1, flags.size() + 1));
            expect("Entrypoint -cp", "-cp", entrypoint.get(flags.size() + 1));
            String cpArg = entrypoint.get(flags.size() + 2);
            check(cpArg.startsWith("@/"), "classpath argument is not an @argfile: " + cpArg);
            checkClasspath(rootfs, cpArg.substring(1));
            String mainClass = entrypoint.get(flags.size() + 3);
            Path mainSource = repo.resolve(service + "/src/main/java/" + mainClass.replace('.', '/') + ".java");
            check(Files.isRegularFile(mainSource) && Files.readString(mainSource).contains("@SpringBootApplication"),
                    "main class " + mainClass + " is not the service's @SpringBootApplication (" + mainSource + ")");
            check(jarHolds(rootfs.resolve("app/classpath"), mainClass.replace('.', '/') + ".class"),
                    "main class " + mainClass + " is not in the project jar under /app/classpath (containerizingMode packaged)");
            check(!Files.exists(rootfs.resolve("app/classes")),
                    "/app/classes exists: classes in a directory are not covered by a JDK AOT cache");
        }
        checkJavaOnPath(rootfs, strings(config.get("Env")));

        // OCI labels: every label the pom sets, with the values Maven interpolates for this module
        Map<String, Object> labels = map(config.getOrDefault("Labels", Map.of()));
        for (Node n = child(container, "labels").getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                Object actual = labels.get(e.getTagName());
                check(actual instanceof String s && !s.isBlank() && !s.contains("${"),
                        "label " + e.getTagName() + " missing or not interpolated: " + actual);
            }
        }
        expect("label org.opencontainers.image.title", service, labels.get("org.opencontainers.image.title"));
        expect("label org.opencontainers.image.version", imageTag, labels.get("org.opencontainers.image.version"));

        // app layers (the ones Jib adds): nothing the runtime user could modify
        List<String> layers = strings(manifest.get("Layers"));
        List<Object> history = list(image.get("history"));
        int jibLayers = 0;
        for (Object h : history) {
            if ("Jib".equals(map(h).get("author"))) {
                jibLayers++;
            }
        }
        check(jibLayers > 0 && jibLayers < layers.size(), "cannot tell app layers from base layers (" + jibLayers + " of "
                + layers.size() + ")");
        int entries = 0;
        for (String layer : layers.subList(layers.size() - jibLayers, layers.size())) {
            entries += checkLayer(imageDir.resolve(layer), user);
        }

        // JAVA_TOOL_OPTIONS (the chart's) is parsed before the command line, so an entrypoint flag wins over it
        var warnings = new java.util.LinkedHashSet<String>();
        Matcher toolOptions = Pattern.compile("(?m)^\\s+javaToolOptions:\\s*\"([^\"]*)\"").matcher(values);
        while (toolOptions.find()) {
            for (String option : toolOptions.group(1).split("\\s+")) {
                String name = option.split("=")[0];
                for (String flag : flags) {
                    if (name.startsWith("-XX:") && flag.split("=")[0].equals(name) && !flag.equals(option)) {
                        warnings.add(service + ": WARN chart javaToolOptions " + option
                                + " has no effect: the image's entrypoint sets " + flag + " on the command line");
                    }
                }
            }
        }
        warnings.forEach(System.out::println);

        if (failures.isEmpty()) {
            // what check-images.sh needs to start the entrypoint: one argument / variable per line
            Files.write(imageDir.resolve("entrypoint.args"), entrypoint);
            Files.write(imageDir.resolve("env.list"), strings(config.get("Env")));
            System.out.printf("%s: image config OK (User %s, ports %s, %d JVM flags, main %s, %d labels, %d app files"
                    + " not writable by the runtime user)%n", service, user, exposed, flags.size(),
                    entrypoint.get(entrypoint.size() - 1), labels.size(), entries);
        } else {
            failures.forEach(f -> System.err.println(service + ": FAIL " + f));
            System.exit(1);
        }
    }

    private static void checkClasspath(Path rootfs, String argFile) throws IOException {
        Path file = rootfs.resolve(argFile.substring(1));
        if (!Files.isRegularFile(file)) {
            failures.add("classpath file " + argFile + " is missing");
            return;
        }
        String[] entries = Files.readString(file).trim().split(":");
        check(entries.length > 10, "classpath has only " + entries.length + " entries");
        for (String entry : entries) {
            String path = entry.endsWith("/*") ? entry.substring(0, entry.length() - 2) : entry;
            check(Files.exists(rootfs.resolve(path.substring(1))), "classpath entry missing from the image: " + entry);
        }
    }

    private static boolean jarHolds(Path dir, String entry) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var jars = Files.list(dir)) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
                    if (zip.getEntry(entry) != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void checkJavaOnPath(Path rootfs, List<String> env) {
        String path = env.stream().filter(e -> e.startsWith("PATH=")).findFirst().orElse("PATH=").substring(5);
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(rootfs.resolve(dir.substring(1)).resolve("java"))) {
                return;
            }
        }
        failures.add("no executable java on the image's PATH " + path);
    }

    /** Reads a gzipped layer tar; fails on entries owned by, or group/other-writable for, the runtime user. */
    private static int checkLayer(Path layer, String user) throws IOException {
        String uid = user.split(":")[0];
        int count = 0;
        try (InputStream raw = new GZIPInputStream(Files.newInputStream(layer));
                DataInputStream in = new DataInputStream(raw)) {
            byte[] header = new byte[512];
            while (true) {
                try {
                    in.readFully(header);
                } catch (EOFException end) {
                    break;
                }
                String name = field(header, 0, 100);
                if (name.isEmpty()) {
                    break;
                }
                char type = (char) header[156];
                long size = Long.parseLong("0" + field(header, 124, 12).trim(), 8);
                in.skipNBytes((size + 511) / 512 * 512);
                if (type == 'x' || type == 'g' || type == 'L') {
                    continue;
                }
                String prefix = field(header, 345, 155);
                String entry = prefix.isEmpty() ? name : prefix + "/" + name;
                int mode = Integer.parseInt("0" + field(header, 100, 8).trim(), 8);
                String owner = String.valueOf(Long.parseLong("0" + field(header, 108, 8).trim(), 8));
                check(!owner.equals(uid), entry + " is owned by the runtime user " + uid);
                check(type == '2' || (mode & 0022) == 0, entry + " is group/other-writable (mode "
                        + Integer.toOctalString(mode) + ")");
                count++;
            }
        }
        return count;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String chartValue(String values, String key) {
        Matcher m = Pattern.compile("(?m)^\\s+" + key + ":\\s*(\\d+)").matcher(values);
        return m.find() ? m.group(1) : "<" + key + " not in values.yaml>";
    }

    private static Element jibConfiguration(Path pom) throws Exception {
        var plugins = parse(pom).getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("jib-maven-plugin".equals(text(child(plugin, "artifactId")))) {
                return child(plugin, "configuration");
            }
        }
        throw new IllegalStateException("no jib-maven-plugin in " + pom);
    }

    private static Element parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new IllegalStateException("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static String text(Element e) {
        return e.getTextContent().trim();
    }

    private static void expect(String what, Object expected, Object actual) {
        check(expected.equals(actual), what + ": expected " + expected + " but the image has " + actual);
    }

    private static void check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static List<String> strings(Object o) {
        return list(o).stream().map(String::valueOf).toList();
    }

    /** Just enough JSON for an image config: objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object value = p.value();
            p.ws();
            if (p.i != text.length()) {
                throw new IllegalArgumentException("trailing JSON at " + p.i);
            }
            return value;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    do {
                        ws();
                        String key = string();
                        ws();
                        i++; // ':'
                        m.put(key, value());
                        ws();
                    } while (s.charAt(i++) == ',');
                    return m;
                }
                case '[' -> {
                    List<Object> l = new ArrayList<>();
                    i++;
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    do {
                        l.add(value());
                        ws();
                    } while (s.charAt(i++) == ',');
                    return l;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    int start = i;
                    while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
                        i++;
                    }
                    String token = s.substring(start, i);
                    return switch (token) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> Double.valueOf(token);
                    };
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
