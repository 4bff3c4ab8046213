// Whole-model pipeline modes: the taxonomy IBM HARP publishes for this hardware (Ferro,
// Benmeziane, Boybat et al., IEEE TPDS 2026), as scheduling policies of the model compiler.
// A mode decides three things:
//   which dependencies between operators are streamed (a chunk of the consumer waits only for
//     the producer's chunks that hold its tokens) and which are barriers (it waits for all of
//     the producer), by the kind of edge:
//       attention       into or out of an attention operator (inside a block)
//       within block    any other edge between two operators of one block
//       between blocks  from the previous block (or the prologue) into this one
//   whether attention runs in query chunks as its queries arrive (IL: intra-layer pipelining)
//     or in jobs of as many query rows as fit, a whole sequence where it can (RedMulE is most
//     efficient on tall operands, and without causality every row waits for all keys anyway)
//   whether an operator's units (attention head groups, element-wise chunks and slices) spread
//     over the clusters, or all run on one.
//                streams: attention  within block  between blocks  chunks attention  spreads
//   serial                    -           -              -                -              -
//   il-par                    -           -              -                -             yes
//   il-pipe                  yes          -              -               yes            yes
//   xl-pipe                  yes         yes             -                -             yes
//   il+xl-pipe               yes         yes             -               yes            yes
//   xb-pipe                  yes         yes            yes               -             yes
// xb-pipe is what aimcsim called "streaming" before, il-par "layer-by-layer". An explicit
// --chunk also chunks attention in every mode.
// The LoRA branch strategy inside a linear (serial | parallel | pipelined) is a separate axis.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace aimcsim::workloads {

enum class EdgeKind { attention, within_block, between_blocks };

class PipelineMode {
 public:
  virtual ~PipelineMode() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;  // one line: what may run concurrently
  virtual bool streams(EdgeKind edge) const = 0;
  virtual bool chunks_attention() const = 0;
  virtual bool spreads() const = 0;  // an operator's units over the clusters

  // The mode called name, or one of the retired --schedule names (streaming = xb-pipe,
  // layer-by-layer = il-par); a UserError lists the known ones otherwise.
  static std::unique_ptr<PipelineMode> make(const std::string& name);
  static std::vector<std::string> names();
  // The mode a retired --schedule value stands for ("" when it is none).
  static std::string from_schedule(const std::string& schedule);
};

// A mode that is its row of the table above: what the six published modes are. A mode with
// other rules derives from PipelineMode itself.
struct ModeRow {
  const char* name;
  const char* summary;
  bool attention, within_block, between_blocks;  // streamed edges
  bool chunks_attention, spreads;
};
std::unique_ptr<PipelineMode> mode_of(const ModeRow& row);

// One factory per mode, each in its own file; registry.cpp lists them.
std::unique_ptr<PipelineMode> make_serial();
std::unique_ptr<PipelineMode> make_il_par();
std::unique_ptr<PipelineMode> make_il_pipe();
std::unique_ptr<PipelineMode> make_xl_pipe();
std::unique_ptr<PipelineMode> make_il_xl_pipe();
std::unique_ptr<PipelineMode> make_xb_pipe();

}  // namespace aimcsim::workloads
