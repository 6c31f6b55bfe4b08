import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who keeps garbage alive? Reads an HPROF heap dump taken with its garbage
 * ({@code jcmd <pid> GC.heap_dump -all file.hprof}: no GC first), marks what is reachable
 * from the dump's GC roots, and prints for one class (default {@code java/lang/VirtualThread}):
 * garbage by class, referrers of its instances (garbage and live), the shortest path of garbage
 * from one of its instances to another, and, given the start of the old generation
 * ({@code -Xlog:gc+heap=debug} prints the generations' address ranges), every reference from
 * the old generation into the young one, i.e. what a young collection scans as roots besides the
 * threads. A reference the JVM keeps outside any object (a VM-internal root) does not show here.
 *
 * <pre>java bench/HeapRetention.java DUMP.hprof [CLASS] [OLD_GEN_START_HEX]</pre>
 *
 * docs/benchmarks.md, "Memory of a pod", has what it found. Needs a heap of ~6x the dump.
 */
public class HeapRetention {

	private static final int INSTANCE = 1, OBJECT_ARRAY = 2, PRIMITIVE_ARRAY = 3, CLASS = 4;

	private static ByteBuffer dump;

	private static int idSize;

	private static final Map<Long, String> strings = new HashMap<>();

	private static final Map<Long, String> classNames = new HashMap<>();

	private static final Map<Long, Long> superclass = new HashMap<>();

	/** Instance fields per class: name and HPROF basic type (2 = object reference). */
	private static final Map<Long, List<Object[]>> fields = new HashMap<>();

	private static long[] ids = new long[1 << 20];

	private static int[] positions = new int[1 << 20];

	private static byte[] kinds = new byte[1 << 20];

	private static int count;

	private static final List<Long> roots = new ArrayList<>();

	public static void main(String[] args) throws Exception {
		String focus = args.length > 1 ? args[1] : "java/lang/VirtualThread";
		long oldStart = args.length > 2 ? Long.parseUnsignedLong(args[2].replaceFirst("^0x", ""), 16) : -1;
		try (FileChannel channel = FileChannel.open(Path.of(args[0]))) {
			dump = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
		}
		read();
		sortById();
		boolean[] live = reachable();
		System.out.printf("%d objects, %d roots, %d reachable%n", count, roots.size(), countTrue(live));

		Map<String, long[]> garbage = new HashMap<>();
		for (int i = 0; i < count; i++) {
			if (!live[i] && kinds[i] != CLASS) {
				long[] c = garbage.computeIfAbsent(className(i), k -> new long[2]);
				c[0]++;
				c[1] += size(i);
			}
		}
		System.out.println("\ngarbage by class (instances, bytes), top 15:");
		top(garbage, 15).forEach(e -> System.out.printf("  %10d %12d  %s%n", e.getValue()[0], e.getValue()[1], e.getKey()));

		Map<Integer, List<int[]>> garbageReferrers = new HashMap<>(); // target -> {source, field}
		Map<String, long[]> liveReferrers = new HashMap<>();
		List<String> fieldNames = new ArrayList<>();
		Map<String, Integer> fieldIndex = new HashMap<>();
		for (int i = 0; i < count; i++) {
			for (long[] ref : references(i)) {
				int j = index(ref[0]);
				if (j < 0) {
					continue;
				}
				String name = className(i) + "." + fieldName(i, (int) ref[1]);
				if (live[i] && focus.equals(className(j))) {
					liveReferrers.computeIfAbsent(name, k -> new long[1])[0]++;
				}
				else if (!live[i] && !live[j]) {
					int f = fieldIndex.computeIfAbsent(name, k -> {
						fieldNames.add(k);
						return fieldNames.size() - 1;
					});
					garbageReferrers.computeIfAbsent(j, k -> new ArrayList<>()).add(new int[] { i, f });
				}
			}
		}
		Map<String, long[]> direct = new HashMap<>();
		Map<String, long[]> paths = new HashMap<>();
		int garbageInstances = 0, unreferenced = 0;
		for (int i = 0; i < count; i++) {
			if (live[i] || !focus.equals(className(i))) {
				continue;
			}
			garbageInstances++;
			List<int[]> in = garbageReferrers.getOrDefault(i, List.of());
			if (in.isEmpty()) {
				unreferenced++;
			}
			for (int[] e : in) {
				direct.computeIfAbsent(fieldNames.get(e[1]), k -> new long[1])[0]++;
			}
			String path = pathFromAnother(i, focus, garbageReferrers, fieldNames);
			paths.computeIfAbsent(path == null ? "(none within 2,000 objects)" : path, k -> new long[1])[0]++;
		}
		System.out.printf("%n%s: %d garbage, %d of them referenced by no garbage object%n", focus, garbageInstances,
				unreferenced);
		System.out.println("  referrers among garbage (class.field):");
		top(direct, 10).forEach(e -> System.out.printf("  %10d  %s%n", e.getValue()[0], e.getKey()));
		System.out.println("  shortest garbage path from another " + focus + ":");
		top(paths, 10).forEach(e -> System.out.printf("  %10d  %s%n", e.getValue()[0], e.getKey()));
		System.out.println("  referrers of its live instances:");
		top(liveReferrers, 10).forEach(e -> System.out.printf("  %10d  %s%n", e.getValue()[0], e.getKey()));

		if (oldStart >= 0) {
			Map<String, long[]> oldToYoung = new HashMap<>();
			for (int i = 0; i < count; i++) {
				if (kinds[i] == CLASS || ids[i] < oldStart) {
					continue;
				}
				for (long[] ref : references(i)) {
					int j = index(ref[0]);
					if (j >= 0 && ref[0] < oldStart) {
						String key = (live[i] ? "live    " : "garbage ") + className(i) + "." + fieldName(i, (int) ref[1])
								+ " -> " + className(j);
						oldToYoung.computeIfAbsent(key, k -> new long[1])[0]++;
					}
				}
			}
			System.out.printf("%nreferences from the old generation (from 0x%x) into the young one:%n", oldStart);
			top(oldToYoung, 20).forEach(e -> System.out.printf("  %10d  %s%n", e.getValue()[0], e.getKey()));
		}
	}

	private static List<Map.Entry<String, long[]>> top(Map<String, long[]> map, int n) {
		return map.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(n).toList();
	}

	private static int countTrue(boolean[] flags) {
		int n = 0;
		for (boolean f : flags) {
			n += f ? 1 : 0;
		}
		return n;
	}

	/** Backwards through garbage from {@code start} to the nearest other instance of its class. */
	private static String pathFromAnother(int start, String focus, Map<Integer, List<int[]>> referrers,
			List<String> fieldNames) {
		Map<Integer, int[]> via = new HashMap<>();
		ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
		via.put(start, null);
		while (!queue.isEmpty() && via.size() < 2000) {
			int x = queue.poll();
			if (x != start && focus.equals(className(x))) {
				StringBuilder path = new StringBuilder();
				for (int y = x; y != start; y = via.get(y)[2]) {
					path.append(className(via.get(y)[0])).append('.').append(fieldNames.get(via.get(y)[1])).append(" -> ");
				}
				return path.append(focus).toString();
			}
			for (int[] e : referrers.getOrDefault(x, List.of())) {
				if (!via.containsKey(e[0])) {
					via.put(e[0], new int[] { e[0], e[1], x });
					queue.add(e[0]);
				}
			}
		}
		return null;
	}

	private static void read() {
		while (dump.get() != 0) {
			// the format's name, zero-terminated
		}
		idSize = dump.getInt();
		dump.getLong();
		while (dump.hasRemaining()) {
			int tag = dump.get() & 0xff;
			dump.getInt();
			int length = dump.getInt();
			int end = dump.position() + length;
			if (tag == 0x01) {
				long id = id();
				byte[] utf8 = new byte[length - idSize];
				dump.get(utf8);
				strings.put(id, new String(utf8));
			}
			else if (tag == 0x02) {
				dump.getInt();
				long classId = id();
				dump.getInt();
				classNames.put(classId, strings.get(id()));
			}
			else if (tag == 0x0C || tag == 0x1C) {
				readHeapDumpSegment(end);
			}
			dump.position(end);
		}
	}

	private static void readHeapDumpSegment(int end) {
		while (dump.position() < end) {
			int subtag = dump.get() & 0xff;
			int start = dump.position();
			switch (subtag) {
				case 0xFF, 0x05, 0x07 -> roots.add(id());
				case 0x01 -> {
					roots.add(id());
					id();
				}
				case 0x02, 0x03, 0x08 -> {
					roots.add(id());
					skip(8);
				}
				case 0x04, 0x06 -> {
					roots.add(id());
					skip(4);
				}
				case 0x20 -> {
					long classId = id();
					dump.getInt();
					superclass.put(classId, id());
					skip(5 * idSize + 4);
					int constants = dump.getShort() & 0xffff;
					for (int k = 0; k < constants; k++) {
						dump.getShort();
						skip(typeSize(dump.get()));
					}
					int statics = dump.getShort() & 0xffff;
					for (int k = 0; k < statics; k++) {
						id();
						skip(typeSize(dump.get()));
					}
					int instanceFields = dump.getShort() & 0xffff;
					List<Object[]> list = new ArrayList<>();
					for (int k = 0; k < instanceFields; k++) {
						list.add(new Object[] { strings.get(id()), (int) dump.get() });
					}
					fields.put(classId, list);
					add(classId, start, CLASS);
				}
				case 0x21 -> {
					long id = id();
					dump.getInt();
					id();
					skip(dump.getInt());
					add(id, start, INSTANCE);
				}
				case 0x22 -> {
					long id = id();
					dump.getInt();
					int length = dump.getInt();
					id();
					skip(length * idSize);
					add(id, start, OBJECT_ARRAY);
				}
				case 0x23 -> {
					long id = id();
					dump.getInt();
					int length = dump.getInt();
					skip(length * typeSize(dump.get()));
					add(id, start, PRIMITIVE_ARRAY);
				}
				default -> throw new IllegalStateException("unknown heap dump record 0x" + Integer.toHexString(subtag));
			}
		}
	}

	private static void add(long id, int position, int kind) {
		if (count == ids.length) {
			ids = Arrays.copyOf(ids, count * 2);
			positions = Arrays.copyOf(positions, count * 2);
			kinds = Arrays.copyOf(kinds, count * 2);
		}
		ids[count] = id;
		positions[count] = position;
		kinds[count] = (byte) kind;
		count++;
	}

	private static void sortById() {
		Integer[] order = new Integer[count];
		for (int i = 0; i < count; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> Long.compareUnsigned(ids[a], ids[b]));
		long[] sortedIds = new long[count];
		int[] sortedPositions = new int[count];
		byte[] sortedKinds = new byte[count];
		for (int i = 0; i < count; i++) {
			sortedIds[i] = ids[order[i]];
			sortedPositions[i] = positions[order[i]];
			sortedKinds[i] = kinds[order[i]];
		}
		ids = sortedIds;
		positions = sortedPositions;
		kinds = sortedKinds;
	}

	private static boolean[] reachable() {
		boolean[] live = new boolean[count];
		ArrayDeque<Integer> queue = new ArrayDeque<>();
		for (long root : roots) {
			int i = index(root);
			if (i >= 0 && !live[i]) {
				live[i] = true;
				queue.add(i);
			}
		}
		while (!queue.isEmpty()) {
			for (long[] ref : references(queue.poll())) {
				int j = index(ref[0]);
				if (j >= 0 && !live[j]) {
					live[j] = true;
					queue.add(j);
				}
			}
		}
		return live;
	}

	/** Outgoing references of object {@code i}: {target id, number of the reference field}. */
	private static List<long[]> references(int i) {
		List<long[]> out = new ArrayList<>();
		dump.position(positions[i]);
		if (kinds[i] == INSTANCE) {
			id();
			dump.getInt();
			long classId = id();
			dump.getInt();
			int k = 0;
			for (long c = classId; c != 0; c = superclass.getOrDefault(c, 0L)) {
				for (Object[] field : fields.getOrDefault(c, List.of())) {
					int type = (int) field[1];
					if (type == 2) {
						addReference(out, id(), k++);
					}
					else {
						skip(typeSize(type));
					}
				}
			}
		}
		else if (kinds[i] == OBJECT_ARRAY) {
			id();
			dump.getInt();
			int length = dump.getInt();
			id();
			for (int k = 0; k < length; k++) {
				addReference(out, id(), 0);
			}
		}
		else if (kinds[i] == CLASS) { // superclass, loader, static fields and constants
			id();
			dump.getInt();
			addReference(out, id(), 0);
			addReference(out, id(), 0);
			skip(4 * idSize + 4);
			int constants = dump.getShort() & 0xffff;
			for (int k = 0; k < constants; k++) {
				dump.getShort();
				staticValue(out);
			}
			int statics = dump.getShort() & 0xffff;
			for (int k = 0; k < statics; k++) {
				id();
				staticValue(out);
			}
		}
		return out;
	}

	private static void staticValue(List<long[]> out) {
		int type = dump.get();
		if (type == 2) {
			addReference(out, id(), 0);
		}
		else {
			skip(typeSize(type));
		}
	}

	private static void addReference(List<long[]> out, long target, int field) {
		if (target != 0) {
			out.add(new long[] { target, field });
		}
	}

	private static String className(int i) {
		if (kinds[i] == PRIMITIVE_ARRAY) {
			return "(primitive array)";
		}
		if (kinds[i] == CLASS) {
			return "(class)";
		}
		dump.position(positions[i]);
		id();
		dump.getInt();
		if (kinds[i] == OBJECT_ARRAY) {
			dump.getInt();
		}
		return classNames.getOrDefault(id(), "?");
	}

	private static String fieldName(int i, int number) {
		if (kinds[i] != INSTANCE) {
			return kinds[i] == OBJECT_ARRAY ? "[]" : "(static)";
		}
		dump.position(positions[i]);
		id();
		dump.getInt();
		int k = 0;
		for (long c = id(); c != 0; c = superclass.getOrDefault(c, 0L)) {
			for (Object[] field : fields.getOrDefault(c, List.of())) {
				if ((int) field[1] == 2 && k++ == number) {
					return (String) field[0];
				}
			}
		}
		return "?";
	}

	/** Approximate: header plus contents, without alignment. */
	private static long size(int i) {
		dump.position(positions[i]);
		id();
		dump.getInt();
		return switch (kinds[i]) {
			case INSTANCE -> {
				id();
				yield 12 + dump.getInt();
			}
			case OBJECT_ARRAY -> 16 + (long) dump.getInt() * 4;
			case PRIMITIVE_ARRAY -> {
				int length = dump.getInt();
				yield 16 + (long) length * typeSize(dump.get());
			}
			default -> 0;
		};
	}

	private static int index(long id) {
		int lo = 0, hi = count - 1;
		while (lo <= hi) {
			int mid = (lo + hi) >>> 1;
			int c = Long.compareUnsigned(ids[mid], id);
			if (c == 0) {
				return mid;
			}
			if (c < 0) {
				lo = mid + 1;
			}
			else {
				hi = mid - 1;
			}
		}
		return -1;
	}

	private static long id() {
		return idSize == 8 ? dump.getLong() : dump.getInt() & 0xffffffffL;
	}

	private static void skip(int bytes) {
		dump.position(dump.position() + bytes);
	}

	private static int typeSize(int type) {
		return switch (type) {
			case 2 -> idSize;
			case 4, 8 -> 1;
			case 5, 9 -> 2;
			case 6, 10 -> 4;
			case 7, 11 -> 8;
			default -> throw new IllegalStateException("unknown basic type " + type);
		};
	}

}
