package dev.hydrastream.data;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The labelled content of a BDD100K-layout directory as read by {@link Bdd100kReader#open}: split
 * names, per split the samples sorted by image name, and an account of every label that was not
 * turned into a detection box.
 */
public final class Bdd100kDataset {

  /** What was read for one labelled split. */
  record Split(
      List<Sample> samples,
      Path labelSource,
      SortedMap<String, Integer> skipped,
      List<String> unlabeledImages) {}

  private final Path root;
  private final SortedMap<String, Split> splits;
  private final List<String> unlabeledSplits;

  Bdd100kDataset(Path root, SortedMap<String, Split> splits, List<String> unlabeledSplits) {
    this.root = root;
    this.splits = Collections.unmodifiableSortedMap(new TreeMap<>(splits));
    this.unlabeledSplits = List.copyOf(unlabeledSplits);
  }

  /** The dataset directory, absolute and normalised. */
  public Path root() {
    return root;
  }

  public DatasetLayout layout() {
    return new DatasetLayout(root);
  }

  /** Names of the splits that have labels, sorted. */
  public List<String> splits() {
    return List.copyOf(splits.keySet());
  }

  /**
   * Names of the splits that have images but no label source at all (BDD100K's own {@code test}
   * split, for instance), sorted. They have no samples; they are listed so that callers can tell
   * "not labelled" from "not there".
   */
  public List<String> unlabeledSplits() {
    return unlabeledSplits;
  }

  /** The samples of a labelled split, sorted by image name. */
  public List<Sample> samples(String split) {
    return get(split).samples();
  }

  /** Images of a labelled split that have no label entry: left out of {@link #samples}. */
  public List<String> unlabeledImages(String split) {
    return get(split).unlabeledImages();
  }

  /** The file (det_20 or 2018 list) or directory (per-image files) the split's labels came from. */
  public Path labelSource(String split) {
    return get(split).labelSource();
  }

  /**
   * Labels of a split that are not detection boxes, by category as written in the source, e.g.
   * {@code "drivable area" -> 12}. A det_20 category appears here only for labels without a {@code
   * box2d}.
   */
  public Map<String, Integer> skippedLabels(String split) {
    return get(split).skipped();
  }

  /** {@link #skippedLabels(String)} summed over all splits, sorted by category. */
  public Map<String, Integer> skippedLabels() {
    SortedMap<String, Integer> total = new TreeMap<>();
    for (Split s : splits.values()) {
      s.skipped().forEach((category, n) -> total.merge(category, n, Integer::sum));
    }
    return Collections.unmodifiableSortedMap(total);
  }

  private Split get(String split) {
    Split s = splits.get(split);
    if (s == null) {
      throw new IllegalArgumentException(
          "no labelled split '"
              + split
              + "' in "
              + root
              + "; labelled splits: "
              + splits.keySet()
              + (unlabeledSplits.isEmpty() ? "" : ", unlabelled: " + unlabeledSplits));
    }
    return s;
  }
}
