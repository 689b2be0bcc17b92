;; The linear scorer's arithmetic in WebAssembly: `score(count)` does what `LinearScorer.scoreHashes`
;; does in JS, on a model laid out in this module's memory by `wasmScorer.ts` (which documents the
;; layout). Memory accesses in WebAssembly carry no ArrayBuffer-detachment checks, which V8 adds to
;; every typed-array access in JS once any buffer in the process has been detached (Node's `fetch`
;; does that), and the dense rows are added four classes per instruction.
;; `npm run wasm` assembles this file with wabt's wat2wasm into `scorerWasm.ts`; a test checks that
;; the two agree where wat2wasm is installed.
(module
  (import "m" "memory" (memory 1))
  ;; Header (i32 at these byte offsets), written by the JS side.
  ;;   0 table  4 mask  8 shift  12 classes  16 classIndex  20 weights  24 bias  28 familyWeights
  ;;   32 tf  36 seen  40 seenMask  44 stamp  48 hashes  52 familyAcc  56 acc  60 out
  ;;   64 denseList  68 featureInfo  72 rowBytes  76 acc32  80 norms  84 scale
  (func $score (export "score") (param $count i32)
    (local $table i32) (local $mask i32) (local $shift i32) (local $classes i32)
    (local $classIndex i32) (local $weights i32) (local $seen i32) (local $seenMask i32)
    (local $stamp i32) (local $hashes i32) (local $familyAcc i32) (local $acc i32)
    (local $denseList i32) (local $featureInfo i32) (local $norms i32) (local $tfTable i32)
    (local $i i32) (local $key i32) (local $slot i32) (local $base i32) (local $end i32)
    (local $s i32) (local $sb i32) (local $feature i32) (local $fi i32) (local $c i32)
    (local $features i32) (local $dense i32) (local $used i32) (local $f i32) (local $start i32)
    (local $p i32) (local $addr i32) (local $fb i32) (local $d i32) (local $entry i32) (local $k i32)
    (local $j i32) (local $rowBytes i32) (local $acc32 i32) (local $scale i32) (local $row i32)
    (local $tf f64) (local $tfBefore f64) (local $idf f64) (local $v f64) (local $norm f64)
    (local $sf f64) (local $vv v128)
    (local.set $table (i32.load (i32.const 0)))
    (local.set $mask (i32.load (i32.const 4)))
    (local.set $shift (i32.load (i32.const 8)))
    (local.set $classes (i32.load (i32.const 12)))
    (local.set $classIndex (i32.load (i32.const 16)))
    (local.set $weights (i32.load (i32.const 20)))
    (local.set $tfTable (i32.load (i32.const 32)))
    (local.set $seen (i32.load (i32.const 36)))
    (local.set $seenMask (i32.load (i32.const 40)))
    (local.set $hashes (i32.load (i32.const 48)))
    (local.set $familyAcc (i32.load (i32.const 52)))
    (local.set $acc (i32.load (i32.const 56)))
    (local.set $denseList (i32.load (i32.const 64)))
    (local.set $featureInfo (i32.load (i32.const 68)))
    (local.set $rowBytes (i32.load (i32.const 72)))
    (local.set $acc32 (i32.load (i32.const 76)))
    (local.set $norms (i32.load (i32.const 80)))
    (local.set $scale (i32.load (i32.const 84)))
    ;; A new stamp empties the set of features seen in this message.
    (local.set $stamp (i32.add (i32.load (i32.const 44)) (i32.const 1)))
    (if (i32.eq (local.get $stamp) (i32.const 0x7fffffff))
      (then
        (memory.fill (local.get $seen) (i32.const 0)
          (i32.shl (i32.add (local.get $seenMask) (i32.const 1)) (i32.const 4)))
        (local.set $stamp (i32.const 1))))
    (i32.store (i32.const 44) (local.get $stamp))
    (f64.store (local.get $norms) (f64.const 0))
    (f64.store offset=8 (local.get $norms) (f64.const 0))
    (f64.store offset=16 (local.get $norms) (f64.const 0))
    (f64.store offset=24 (local.get $norms) (f64.const 0))

    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $key (i32.load (i32.add (local.get $hashes) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        ;; Linear probing: slot = (key × 0x9e3779b1) >>> shift; 16 bytes per slot: key, start, end, idf.
        (local.set $slot (i32.shr_u (i32.mul (local.get $key) (i32.const 0x9e3779b1)) (local.get $shift)))
        (block $found
          (loop $probe
            (local.set $base (i32.add (local.get $table) (i32.shl (local.get $slot) (i32.const 4))))
            (local.set $end (i32.load offset=8 (local.get $base)))
            ;; An empty slot: a feature the model does not know.
            (br_if $next (i32.eq (local.get $end) (i32.const -1)))
            (br_if $found (i32.eq (i32.load (local.get $base)) (local.get $key)))
            (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (local.get $mask)))
            (br $probe)))
        ;; The message's set of table slots: 16 bytes per entry (stamp, slot, feature).
        (local.set $s (i32.and (local.get $slot) (local.get $seenMask)))
        (block $placed
          (loop $look
            (local.set $sb (i32.add (local.get $seen) (i32.shl (local.get $s) (i32.const 4))))
            (br_if $placed (i32.ne (i32.load (local.get $sb)) (local.get $stamp)))
            (br_if $placed (i32.eq (i32.load offset=4 (local.get $sb)) (local.get $slot)))
            (local.set $s (i32.and (i32.add (local.get $s) (i32.const 1)) (local.get $seenMask)))
            (br $look)))
        ;; TF-IDF with sublinear tf: a repeat adds the step from tf(c − 1) to tf(c).
        (if (i32.eq (i32.load (local.get $sb)) (local.get $stamp))
          (then
            (local.set $feature (i32.load offset=8 (local.get $sb)))
            (local.set $fi (i32.add (local.get $featureInfo) (i32.shl (local.get $feature) (i32.const 3))))
            (local.set $c (i32.add (i32.load (local.get $fi)) (i32.const 1)))
            (i32.store (local.get $fi) (local.get $c))
            (local.set $tfBefore
              (f64.load (i32.add (local.get $tfTable) (i32.shl (i32.sub (local.get $c) (i32.const 1)) (i32.const 3)))))
            (local.set $tf (f64.load (i32.add (local.get $tfTable) (i32.shl (local.get $c) (i32.const 3))))))
          (else
            (local.set $feature (local.get $features))
            (local.set $features (i32.add (local.get $features) (i32.const 1)))
            (i32.store (local.get $sb) (local.get $stamp))
            (i32.store offset=4 (local.get $sb) (local.get $slot))
            (i32.store offset=8 (local.get $sb) (local.get $feature))
            (local.set $fi (i32.add (local.get $featureInfo) (i32.shl (local.get $feature) (i32.const 3))))
            (i32.store (local.get $fi) (i32.const 1))
            (i32.store offset=4 (local.get $fi) (i32.const -1))
            (local.set $tfBefore (f64.const 0))
            (local.set $tf (f64.const 1))))
        (local.set $idf (f64.promote_f32 (f32.load offset=12 (local.get $base))))
        (local.set $f (i32.shr_u (local.get $key) (i32.const 30)))
        (local.set $addr (i32.add (local.get $norms) (i32.shl (local.get $f) (i32.const 3))))
        (f64.store (local.get $addr)
          (f64.add (f64.load (local.get $addr))
            (f64.mul
              (f64.mul
                (f64.sub (f64.mul (local.get $tf) (local.get $tf)) (f64.mul (local.get $tfBefore) (local.get $tfBefore)))
                (local.get $idf))
              (local.get $idf))))
        (local.set $v (f64.mul (f64.sub (local.get $tf) (local.get $tfBefore)) (local.get $idf)))
        (local.set $start (i32.load offset=4 (local.get $base)))
        (if (i32.eq (local.get $end) (i32.const -2))
          (then
            ;; A row of every class: listed once (byte offset of the row, family, summed value).
            (local.set $d (i32.load offset=4 (local.get $fi)))
            (if (i32.lt_s (local.get $d) (i32.const 0))
              (then
                (local.set $d (local.get $dense))
                (local.set $dense (i32.add (local.get $dense) (i32.const 1)))
                (i32.store offset=4 (local.get $fi) (local.get $d))
                (local.set $entry (i32.add (local.get $denseList) (i32.shl (local.get $d) (i32.const 4))))
                (i32.store (local.get $entry) (local.get $start))
                (i32.store offset=4 (local.get $entry) (local.get $f))
                (f64.store offset=8 (local.get $entry) (f64.const 0))))
            (local.set $entry (i32.add (local.get $denseList) (i32.shl (local.get $d) (i32.const 4))))
            (f64.store offset=8 (local.get $entry)
              (f64.add (f64.load offset=8 (local.get $entry)) (local.get $v))))
          (else
            ;; Sparse weights: (class, weight) pairs added into the family's accumulator.
            (local.set $used (i32.or (local.get $used) (i32.shl (i32.const 1) (local.get $f))))
            (local.set $fb (i32.add (local.get $familyAcc)
              (i32.shl (i32.mul (local.get $f) (local.get $classes)) (i32.const 3))))
            (local.set $p (local.get $start))
            (block $sparseDone
              (loop $sparse
                (br_if $sparseDone (i32.ge_s (local.get $p) (local.get $end)))
                (local.set $addr (i32.add (local.get $fb)
                  (i32.shl (i32.load16_u (i32.add (local.get $classIndex) (i32.shl (local.get $p) (i32.const 1))))
                    (i32.const 3))))
                (f64.store (local.get $addr)
                  (f64.add (f64.load (local.get $addr))
                    (f64.mul (local.get $v)
                      (f64.promote_f32 (f32.load (i32.add (local.get $weights) (i32.shl (local.get $p) (i32.const 2))))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $sparse)))))
        (br $next)))

    ;; Per-family L2 normalisation, scaled by the family weight.
    (local.set $f (i32.const 0))
    (loop $families
      (local.set $norm (f64.load (i32.add (local.get $norms) (i32.shl (local.get $f) (i32.const 3)))))
      (f64.store (i32.add (local.get $scale) (i32.shl (local.get $f) (i32.const 3)))
        (if (result f64) (f64.gt (local.get $norm) (f64.const 0))
          (then
            (f64.div
              (f64.load (i32.add (i32.load (i32.const 28)) (i32.shl (local.get $f) (i32.const 3))))
              (f64.sqrt (local.get $norm))))
          (else (f64.const 0))))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br_if $families (i32.lt_u (local.get $f) (i32.const 4))))
    ;; acc = bias, then each used family's sparse sums times its scale (and the sums reset).
    (local.set $k (i32.const 0))
    (block $biasDone
      (loop $bias
        (br_if $biasDone (i32.ge_u (local.get $k) (local.get $classes)))
        (f64.store (i32.add (local.get $acc) (i32.shl (local.get $k) (i32.const 3)))
          (f64.promote_f32 (f32.load (i32.add (i32.load (i32.const 24)) (i32.shl (local.get $k) (i32.const 2))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $bias)))
    (local.set $f (i32.const 0))
    (loop $familySums
      (if (i32.and (local.get $used) (i32.shl (i32.const 1) (local.get $f)))
        (then
          (local.set $sf (f64.load (i32.add (local.get $scale) (i32.shl (local.get $f) (i32.const 3)))))
          (local.set $fb (i32.add (local.get $familyAcc)
            (i32.shl (i32.mul (local.get $f) (local.get $classes)) (i32.const 3))))
          (local.set $k (i32.const 0))
          (block $sumDone
            (loop $sum
              (br_if $sumDone (i32.ge_u (local.get $k) (local.get $classes)))
              (local.set $addr (i32.add (local.get $acc) (i32.shl (local.get $k) (i32.const 3))))
              (local.set $p (i32.add (local.get $fb) (i32.shl (local.get $k) (i32.const 3))))
              (f64.store (local.get $addr)
                (f64.add (f64.load (local.get $addr)) (f64.mul (f64.load (local.get $p)) (local.get $sf))))
              (f64.store (local.get $p) (f64.const 0))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $sum)))))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (br_if $familySums (i32.lt_u (local.get $f) (i32.const 4))))
    ;; Dense rows: acc32 += f32(value × scale) × row, four classes per instruction, row by row.
    (memory.fill (local.get $acc32) (i32.const 0) (local.get $rowBytes))
    (local.set $d (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $d) (local.get $dense)))
        (local.set $entry (i32.add (local.get $denseList) (i32.shl (local.get $d) (i32.const 4))))
        (local.set $row (i32.load (local.get $entry)))
        (local.set $vv (f32x4.splat (f32.demote_f64
          (f64.mul (f64.load offset=8 (local.get $entry))
            (f64.load (i32.add (local.get $scale) (i32.shl (i32.load offset=4 (local.get $entry)) (i32.const 3))))))))
        (local.set $j (i32.const 0))
        (block $laneDone
          (loop $lanes
            (br_if $laneDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $addr (i32.add (local.get $acc32) (local.get $j)))
            (v128.store (local.get $addr)
              (f32x4.add (v128.load (local.get $addr))
                (f32x4.mul (v128.load (i32.add (local.get $row) (local.get $j))) (local.get $vv))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $lanes)))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br $rows)))
    ;; out = f32(acc + acc32).
    (local.set $k (i32.const 0))
    (block $outDone
      (loop $out
        (br_if $outDone (i32.ge_u (local.get $k) (local.get $classes)))
        (f32.store (i32.add (i32.load (i32.const 60)) (i32.shl (local.get $k) (i32.const 2)))
          (f32.demote_f64
            (f64.add (f64.load (i32.add (local.get $acc) (i32.shl (local.get $k) (i32.const 3))))
              (f64.promote_f32 (f32.load (i32.add (local.get $acc32) (i32.shl (local.get $k) (i32.const 2))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $out)))))
