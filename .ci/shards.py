"""Split integration targets into shards of about equal run time.

    python .ci/shards.py SHARDS WEIGHTS_FILE TARGET...

prints one line per non-empty shard: the targets of that shard, separated by spaces. The weights file has one
"target seconds" line per target (the run times ansible-test recorded in tests/output/data); a target it does not
list counts as its default line ("* seconds") or as 120 s. The heaviest targets are placed first, each on the shard
with the least time so far (longest processing time first), so no shard waits much longer than another.
"""
import sys

DEFAULT_SECONDS = 120


def read_weights(path):
    weights = {}
    with open(path, encoding='utf-8') as source:
        for line in source:
            words = line.split('#', 1)[0].split()
            if len(words) == 2:
                weights[words[0]] = int(words[1])
    return weights


def plan(count, weights, targets):
    default = weights.get('*', DEFAULT_SECONDS)
    shards = [[0, []] for index in range(max(1, count))]
    for target in sorted(targets, key=lambda name: (-weights.get(name, default), name)):
        lightest = min(shards, key=lambda shard: shard[0])
        lightest[0] += weights.get(target, default)
        lightest[1].append(target)
    return [names for seconds, names in shards if names]


def main(argv):
    if len(argv) < 3 or not argv[1].isdigit():
        sys.exit('usage: shards.py SHARDS WEIGHTS_FILE TARGET...')
    for names in plan(int(argv[1]), read_weights(argv[2]), argv[3:]):
        print(' '.join(names))


if __name__ == '__main__':
    main(sys.argv)
