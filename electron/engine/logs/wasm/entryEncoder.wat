;; A read of a job's pipe encoded as logFileFormat.ts's version 3, in one call (wasmEntryEncoder.ts
;; loads it). JS copies the read to READ (address 0) and the read's time line to OUT; `encode`
;; writes the read's lines after the time line, each behind its two-byte mark, and returns where
;; the encoded read ends. It is the JS EntryEncoder's output byte for byte
;; (test/engine/logs/wasmEntryEncoder.test.ts compares the two).
;;
;; Why WebAssembly: in JS each line costs a Buffer.indexOf and a copyWithin, two calls into C++,
;; ~13 million a GiB of 80-byte lines. Here 32 bytes at a time are compared with the newline
;; (i8x16.eq, i8x16.bitmask, two vectors) and stored to where they go; a newline writes the next
;; line's mark and stores the 32 bytes after it again, 2 bytes further on. A store may run past
;; where its bytes end: every byte is last written by the store with its own offset (offsets
;; only grow, and a store with a larger one starts after the newline that made it larger), so
;; what a store wrongly wrote past a newline is written again, right, before the function
;; returns. The read's last 0-31 bytes go 16 at a time, the last 16 masked to the read's end:
;; the 32-byte loop has no end test of its own. The 16-byte loop alone, with that test in every
;; step, took 1.7-2.0x this one's time; 64 bytes at a time (four stores again after each
;; newline) 1.2x (README, Performance).
;;
;; Memory (5 pages, fixed: a WebAssembly memory is never given back, so it is small):
;;   [0, 65536 + 32)       READ: the read (at most READ_CAPACITY = 65536 bytes) and 32 bytes a
;;                         16-byte load may read past its end (garbage, masked off)
;;   [65600, 327680)       OUT: the time line (at most 32 bytes), then at most 3 bytes a read
;;                         byte (a read of newlines alone), 3 more for an unfinished last line,
;;                         and up to 31 a store writes past the end: 262,270 at most
(module
  (memory (export "memory") 5 5)

  ;; $n: the read's length (1 to 65536); $linesAt: where its first mark goes (OUT + the time
  ;; line's length); $marks: the stream's mark and a space, as a little-endian 16-bit word.
  ;; Returns the address after the encoded read's last byte.
  (func (export "encode") (param $n i32) (param $linesAt i32) (param $marks i32) (result i32)
    (local $i i32)        ;; the start of the 16 read bytes being looked at
    (local $offset i32)   ;; where read byte j goes: j + $offset (it grows by 2 a newline)
    (local $newlines i32) ;; one bit per newline in those 16 bytes, lowest first
    (local $after i32)    ;; the read byte after a newline: the next line's first
    (local $lastMark i32) ;; the last line's mark, which becomes `+` when that line does not end
    (local $bytes v128)
    (local $end i32)
    (local $more v128)    ;; the second 16 of the 32 bytes being looked at
    (local $whole i32)    ;; where the read's whole 32-byte blocks end
    (i32.store16 (local.get $linesAt) (local.get $marks))
    (local.set $lastMark (local.get $linesAt))
    (local.set $offset (i32.add (local.get $linesAt) (i32.const 2)))
    ;; Every whole 32 bytes of the read: none of them past its end.
    (local.set $whole (i32.and (local.get $n) (i32.const -32)))
    (block $wholeDone
      (loop $thirtyTwo
        (br_if $wholeDone (i32.ge_u (local.get $i) (local.get $whole)))
        (local.set $bytes (v128.load (local.get $i)))
        (local.set $more (v128.load offset=16 (local.get $i)))
        (v128.store (i32.add (local.get $i) (local.get $offset)) (local.get $bytes))
        (v128.store offset=16 (i32.add (local.get $i) (local.get $offset)) (local.get $more))
        (local.set $newlines
          (i32.or
            (i8x16.bitmask (i8x16.eq (local.get $bytes) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
            (i32.shl
              (i8x16.bitmask (i8x16.eq (local.get $more) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
              (i32.const 16))))
        (block $lines32
          (loop $newline32
            (br_if $lines32 (i32.eqz (local.get $newlines)))
            (local.set $after (i32.add (i32.add (local.get $i) (i32.ctz (local.get $newlines))) (i32.const 1)))
            (local.set $lastMark (i32.add (local.get $after) (local.get $offset)))
            (i32.store16 (local.get $lastMark) (local.get $marks))
            (local.set $offset (i32.add (local.get $offset) (i32.const 2)))
            ;; The rest of these 32 bytes, at most 31 from $after: two stores cover them.
            (v128.store (i32.add (local.get $after) (local.get $offset)) (v128.load (local.get $after)))
            (v128.store offset=16 (i32.add (local.get $after) (local.get $offset)) (v128.load offset=16 (local.get $after)))
            (local.set $newlines (i32.and (local.get $newlines) (i32.sub (local.get $newlines) (i32.const 1))))
            (br $newline32)))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $thirtyTwo)))
    ;; The rest (0 to 31 bytes), 16 at a time, as the whole read once was.
    (block $read
      (loop $sixteen
        (br_if $read (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $bytes (v128.load (local.get $i)))
        (v128.store (i32.add (local.get $i) (local.get $offset)) (local.get $bytes))
        (local.set $newlines
          (i8x16.bitmask (i8x16.eq (local.get $bytes) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
        ;; The last 16 may hold fewer read bytes: what follows them is not the read's.
        (if (i32.lt_u (i32.sub (local.get $n) (local.get $i)) (i32.const 16))
          (then
            (local.set $newlines
              (i32.and (local.get $newlines)
                (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $n) (local.get $i))) (i32.const 1))))))
        (block $lines
          (loop $newline
            (br_if $lines (i32.eqz (local.get $newlines)))
            (local.set $after (i32.add (i32.add (local.get $i) (i32.ctz (local.get $newlines))) (i32.const 1)))
            (local.set $lastMark (i32.add (local.get $after) (local.get $offset)))
            (i32.store16 (local.get $lastMark) (local.get $marks))
            (local.set $offset (i32.add (local.get $offset) (i32.const 2)))
            (v128.store (i32.add (local.get $after) (local.get $offset)) (v128.load (local.get $after)))
            (local.set $newlines (i32.and (local.get $newlines) (i32.sub (local.get $newlines) (i32.const 1))))
            (br $newline)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $sixteen)))
    (local.set $end (i32.add (local.get $n) (local.get $offset)))
    (if (result i32) (i32.eq (i32.load8_u (i32.sub (local.get $n) (i32.const 1))) (i32.const 10))
      ;; The read ends a line: the mark written after its last newline starts no line.
      (then (i32.sub (local.get $end) (i32.const 2)))
      ;; It does not: its last line is marked `+` and ends in a newline of the file's own.
      (else
        (i32.store8 (i32.add (local.get $lastMark) (i32.const 1)) (i32.const 0x2b))
        (i32.store8 (local.get $end) (i32.const 10))
        (i32.add (local.get $end) (i32.const 1))))))
